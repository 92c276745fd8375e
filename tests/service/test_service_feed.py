"""The calendar feed a person subscribes to: a regenerated plan keeps its id and feed URL,
every event keeps its UID (the plan's id and the slot), and SEQUENCE grows, so calendar
apps update the events rather than add new ones."""

from __future__ import annotations

from typing import Any

import httpx
from icalendar import Calendar
from serving import START, wait_job

PLAN = {"minutes": 10, "days": "mon,thu", "start": START, "time": "18:00", "tz": "Europe/Berlin"}


def events(feed: bytes) -> list[Any]:
    return list(Calendar.from_ical(feed).walk("VEVENT"))


def test_regenerating_keeps_uids_and_raises_sequence(client: httpx.Client) -> None:
    made = client.post("/v1/plans", json=PLAN)
    job = wait_job(client, made.headers["location"])
    assert job["status"] == "done"
    feed_url = job["links"]["calendar"]
    assert "secret=" in feed_url
    first = client.get(feed_url)
    assert first.headers["content-type"].startswith("text/calendar")
    assert client.get(feed_url).content == first.content  # polling does not change bytes
    calendar = Calendar.from_ical(first.content)
    assert str(calendar["X-WR-CALNAME"])
    before = events(first.content)
    assert len(before) == 2
    assert all(str(e["SUMMARY"]) for e in before)
    assert all(int(e["SEQUENCE"]) == 0 for e in before)

    again = client.post(f"/v1/plans/{job['id']}/regenerate", json={**PLAN, "seed": 5})
    assert again.status_code == 202
    assert again.json()["id"] == job["id"]
    redone = wait_job(client, again.headers["location"])
    assert redone["status"] == "done"
    assert redone["revision"] == 1
    assert redone["links"]["calendar"] == feed_url  # the same subscription URL

    after = events(client.get(feed_url).content)
    assert [str(e["UID"]) for e in after] == [str(e["UID"]) for e in before]
    assert all(int(e["SEQUENCE"]) == 1 for e in after)
    assert [e["DTSTART"].dt for e in after] == [e["DTSTART"].dt for e in before]
    assert all(
        a["LAST-MODIFIED"].dt >= b["LAST-MODIFIED"].dt for a, b in zip(after, before, strict=True)
    )


def test_each_event_has_its_own_summary(client: httpx.Client) -> None:
    job = wait_job(client, client.post("/v1/plans", json=PLAN).headers["location"])
    summaries = [str(e["SUMMARY"]) for e in events(client.get(job["links"]["calendar"]).content)]
    assert len(set(summaries)) == len(summaries) == 2
    assert all(" · week 1 " in summary for summary in summaries)


def test_regenerating_without_a_body_solves_the_stored_request_again(
    client: httpx.Client,
) -> None:
    made = client.post("/v1/plans", json={k: v for k, v in PLAN.items() if k != "start"})
    job = wait_job(client, made.headers["location"])
    before = events(client.get(job["links"]["calendar"]).content)
    again = client.post(f"/v1/plans/{job['id']}/regenerate")
    assert again.status_code == 202
    wait_job(client, again.headers["location"])
    after = events(client.get(job["links"]["calendar"]).content)
    # The default start (next Monday) was pinned at the first solve: same slots, same UIDs.
    assert [str(e["UID"]) for e in after] == [str(e["UID"]) for e in before]
    assert [e["DTSTART"].dt for e in after] == [e["DTSTART"].dt for e in before]
    assert [str(e["DESCRIPTION"]) for e in after] == [str(e["DESCRIPTION"]) for e in before]


def test_two_plans_with_the_same_request_have_different_uids(client: httpx.Client) -> None:
    uids = []
    for _ in range(2):
        job = wait_job(client, client.post("/v1/plans", json=PLAN).headers["location"])
        uids.append({str(e["UID"]) for e in events(client.get(job["links"]["calendar"]).content)})
    assert not uids[0] & uids[1]


def test_a_routine_event_uid_is_its_id(client: httpx.Client) -> None:
    routine = {"minutes": 10, "start": f"{START}T07:30"}
    first = client.post("/v1/routines", json=routine, headers={"Accept": "text/calendar"})
    second = client.post("/v1/routines", json=routine, headers={"Accept": "text/calendar"})
    (one,), (two,) = events(first.content), events(second.content)
    assert str(one["UID"]) != str(two["UID"])  # two stored routines, two events
    again = client.get(first.headers["location"], headers={"Accept": "text/calendar"})
    assert str(events(again.content)[0]["UID"]) == str(one["UID"])
