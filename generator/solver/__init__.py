"""The solver: the only package that imports OR-Tools.

``model`` and ``plan_model`` build CP-SAT models of a routine and of a plan, ``solve`` and
``plan_solve`` run them and read the answers into result types (or explain why there is
none), and ``search/`` holds the domain-free search machinery they share.
"""
