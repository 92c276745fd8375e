"""The built-in exporters (text, json, ical), each registered as a plugin like any third party's."""
