"""Every endpoint of the real server (uvicorn in a subprocess): routines, plan jobs, stored
results, content negotiation, the 422 explanation, problem details, the listings."""

from __future__ import annotations

import json

import httpx
import pytest
from serving import SLOW_PLAN, START, wait_job

PROBLEM = "application/problem+json"
ROUTINE = {"minutes": 10, "start": f"{START}T18:00", "tz": "Europe/Berlin"}
PLAN = {"minutes": 10, "days": "mon,thu", "start": START, "time": "18:00"}
INFEASIBLE = {"minutes": 5, "focus": ["back", "legs", "push"], "level": "beginner"}


def problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert isinstance(body["type"], str) and isinstance(body["title"], str)
    return body


def test_health(client: httpx.Client) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["workers"] == 2


def test_a_routine_is_solved_stored_and_fetched_again_the_same(client: httpx.Client) -> None:
    made = client.post("/v1/routines", json=ROUTINE)
    assert made.status_code == 201
    assert made.headers["content-type"] == "application/json"
    location = made.headers["location"]
    document = made.json()
    assert document["kind"] == "routine"
    assert document["request"]["minutes"] == 10
    assert document["request"]["tz"] == "Europe/Berlin"
    again = client.get(location)
    assert again.status_code == 200
    assert again.content == made.content  # the stored revision renders to the same bytes


def test_the_same_request_gives_the_same_routine(client: httpx.Client) -> None:
    first = client.post("/v1/routines", json={**ROUTINE, "seed": 3}).json()
    second = client.post("/v1/routines", json={**ROUTINE, "seed": 3}).json()
    assert first["routine"] == second["routine"]


@pytest.mark.parametrize(
    ("accept", "media", "starts"),
    [
        ("text/plain", "text/plain; charset=utf-8", b"Back routine"),
        ("text/calendar", "text/calendar; charset=utf-8", b"BEGIN:VCALENDAR"),
        ("application/json", "application/json", b"{"),
        ("*/*", "application/json", b"{"),
        ("text/calendar;q=0.5, text/plain", "text/plain; charset=utf-8", b"Back routine"),
        ("image/svg+xml", "image/svg+xml", b"<"),
    ],
)
def test_accept_picks_the_exporter(
    client: httpx.Client, accept: str, media: str, starts: bytes
) -> None:
    made = client.post("/v1/routines", json=ROUTINE, headers={"Accept": accept})
    assert made.status_code == 201, made.text
    assert made.headers["content-type"] == media
    assert made.content.lstrip().startswith(starts)
    stored = client.get(made.headers["location"], headers={"Accept": accept})
    assert stored.headers["content-type"] == media


def test_format_overrides_accept(client: httpx.Client) -> None:
    location = client.post("/v1/routines", json=ROUTINE).headers["location"]
    text = client.get(location, params={"format": "text"}, headers={"Accept": "text/calendar"})
    assert text.headers["content-type"].startswith("text/plain")
    assert 'filename="' in text.headers["content-disposition"]
    ics = client.get(location, params={"format": "ical"})
    assert ics.content.startswith(b"BEGIN:VCALENDAR")


def test_an_unservable_format_is_406_before_solving(client: httpx.Client) -> None:
    body = problem(client.post("/v1/routines", json=ROUTINE, params={"format": "xlsx"}), 406)
    assert "json" in body["formats"]  # type: ignore[operator]
    body = problem(client.post("/v1/routines", json=ROUTINE, headers={"Accept": "image/gif"}), 406)
    assert "text/calendar" in body["media_types"]  # type: ignore[operator]


def test_an_infeasible_routine_is_422_with_its_explanation(client: httpx.Client) -> None:
    body = problem(client.post("/v1/routines", json=INFEASIBLE), 422)
    assert body["type"] == "https://routinegen.dev/problems/infeasible"
    conflicts = body["conflicts"]
    assert isinstance(conflicts, list) and conflicts
    for conflict in conflicts:
        assert conflict["code"] and conflict["sentence"]
    assert "minutes" in json.dumps(conflicts)
    assert "suggestion" in body


def test_a_bad_value_is_422_naming_the_field(client: httpx.Client) -> None:
    body = problem(client.post("/v1/routines", json={"minutes": 100000}), 422)
    assert "minutes" in str(body["detail"])
    body = problem(client.post("/v1/routines", json={"equipment": ["anvil"]}), 422)
    assert "anvil" in str(body["detail"])


def test_validation_errors_are_problems(client: httpx.Client) -> None:
    body = problem(client.post("/v1/routines", json={"minutes": "lots"}), 422)
    assert body["errors"][0]["loc"] == ["body", "minutes"]  # type: ignore[index]
    problem(client.post("/v1/routines", json={"minuets": 10}), 422)  # a typo is refused
    problem(
        client.post("/v1/routines", content=b"{", headers={"content-type": "application/json"}), 422
    )


def test_a_catalog_path_is_refused(client: httpx.Client) -> None:
    problem(client.post("/v1/routines", json={"catalog": "/etc/passwd"}), 422)
    problem(client.post("/v1/routines", json={"preset": "../secret.yaml"}), 422)


def test_unknown_routes_and_methods_are_problems(client: httpx.Client) -> None:
    assert problem(client.get("/v1/nothing"), 404)["type"] == "about:blank"
    problem(client.delete("/v1/routines"), 405)
    problem(client.get("/v1/routines/doesnotexist"), 404)
    problem(client.get("/v1/plans/doesnotexist"), 404)
    problem(client.get("/v1/jobs/doesnotexist"), 404)


def test_a_body_too_large_is_413(client: httpx.Client) -> None:
    huge = json.dumps({"exclude": ["x" * 60] * 2000}).encode()
    problem(
        client.post("/v1/routines", content=huge, headers={"content-type": "application/json"}), 413
    )

    def chunks() -> object:
        for _ in range(200):
            yield b" " * 1024

    streamed = client.post(
        "/v1/plans", content=chunks(), headers={"content-type": "application/json"}
    )
    problem(streamed, 413)


def test_a_plan_job_runs_to_done(client: httpx.Client) -> None:
    made = client.post("/v1/plans", json=PLAN)
    assert made.status_code == 202
    job = made.json()
    assert job["status"] in ("queued", "solving", "done")
    assert made.headers["location"] == f"/v1/jobs/{job['id']}"
    done = wait_job(client, made.headers["location"])
    assert done["status"] == "done"
    assert done["revision"] == 0
    plan = client.get(done["links"]["result"])
    assert plan.json()["kind"] == "plan"
    assert len(plan.json()["sessions"]) == 2
    text = client.get(done["links"]["result"], headers={"Accept": "text/plain"})
    assert text.headers["content-type"].startswith("text/plain")
    feed = client.get(done["links"]["calendar"])
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.content.count(b"BEGIN:VEVENT") == 2


def test_an_infeasible_plan_job_ends_infeasible_with_the_explanation(
    client: httpx.Client,
) -> None:
    # lats on two days in a row: recovery (a plan splits its focus itself, so a mixed
    # focus in short sessions is no longer impossible)
    made = client.post("/v1/plans", json={**PLAN, "days": "mon,tue", "focus": ["lats"]})
    done = wait_job(client, made.headers["location"])
    assert done["status"] == "infeasible"
    assert done["problem"]["status"] == 422
    assert done["problem"]["conflicts"]
    problem(client.get(f"/v1/plans/{done['id']}"), 409)  # no result to show


def test_an_invalid_plan_job_fails_naming_the_field(client: httpx.Client) -> None:
    made = client.post("/v1/plans", json={**PLAN, "days": "someday"})
    done = wait_job(client, made.headers["location"])
    assert done["status"] == "failed"
    assert "days" in done["problem"]["detail"]


def test_a_job_can_be_cancelled_and_then_not_again(client: httpx.Client) -> None:
    slow = SLOW_PLAN
    made = client.post("/v1/plans", json=slow)
    cancelled = client.post(f"/v1/jobs/{made.json()['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    problem(client.post(f"/v1/jobs/{made.json()['id']}/cancel"), 409)
    assert client.get(made.headers["location"]).json()["status"] == "cancelled"


def test_a_plan_not_solved_yet_is_409_with_its_job(client: httpx.Client) -> None:
    slow = SLOW_PLAN
    made = client.post("/v1/plans", json=slow).json()
    body = problem(client.get(f"/v1/plans/{made['id']}"), 409)
    assert body["job"] == f"/v1/jobs/{made['id']}"
    problem(client.get(f"/v1/plans/{made['id']}/calendar.ics"), 409)
    problem(client.post(f"/v1/plans/{made['id']}/regenerate"), 409)
    client.post(f"/v1/jobs/{made['id']}/cancel")


def test_exporters_are_listed_with_their_media_types(client: httpx.Client) -> None:
    listed = {e["name"]: e for e in client.get("/v1/exporters").json()}
    assert listed["ical"]["media_type"] == "text/calendar"
    assert listed["json"]["media_type"] == "application/json"
    assert listed["text"]["media_type"] == "text/plain"
    assert {"name": "alarm_minutes", "type": "int", "default": 10}.items() <= listed["ical"][
        "options"
    ][0].items()


def test_catalogs_are_listed(client: httpx.Client) -> None:
    listed = {c["name"]: c for c in client.get("/v1/catalogs").json()}
    assert {"back", "full-body"} <= set(listed)
    assert listed["full-body"]["source"] == "built-in"
    assert "kettlebell" in listed["full-body"]["equipment"]
    assert listed["back"]["exercises"] > 0


def test_openapi_and_docs_are_served(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    assert "/v1/routines" in schema["paths"]
    assert "/v1/plans/{ident}/calendar.ics" in schema["paths"]
    responses = schema["paths"]["/v1/routines"]["post"]["responses"]
    assert set(responses["422"]["content"]) == {PROBLEM}
    assert "text/calendar" in responses["201"]["content"]
    assert client.get("/docs").status_code == 200


def test_the_page_posts_and_redirects_to_the_result(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.headers["content-type"].startswith("text/html")
    assert 'action="/make"' in page.text
    form = {"minutes": "10", "goal": "routine", "focus": "back", "equipment": "kettlebell"}
    made = client.post("/make", data=form)
    assert made.status_code == 303
    result = client.get(made.headers["location"])
    assert result.status_code == 200
    assert "Back routine (10 min)" in result.text
    problem(client.get(made.headers["location"].split("?")[0].replace("/routines", "/plans")), 404)


def test_swap_replaces_one_exercise_and_keeps_the_rest(client: httpx.Client) -> None:
    kit = ["kettlebell", "dumbbell", "resistance_band"]
    made = client.post("/v1/routines", json={**ROUTINE, "minutes": 12, "equipment": kit})
    before = made.json()["routine"]
    ids = [item["id"] for item in before["blocks"]["main"]["exercises"]]
    swapped = client.post(f"{made.headers['location']}/swap", json={"exercise": ids[0]})
    assert swapped.status_code == 200, swapped.text
    after = swapped.json()["routine"]
    new_ids = [item["id"] for item in after["blocks"]["main"]["exercises"]]
    assert ids[0] not in new_ids
    assert set(ids[1:]) <= set(new_ids)
    assert len(new_ids) == len(ids)
    assert after["rounds"] == before["rounds"]
    # The stored routine is the new revision: same id, same event UID, SEQUENCE 1.
    assert client.get(made.headers["location"]).json()["routine"] == after
    ics = client.get(made.headers["location"], params={"format": "ical"}).text
    assert "SEQUENCE:1" in ics
    again = client.post(f"{made.headers['location']}/swap", json={"exercise": new_ids[1]})
    assert again.status_code == 200, again.text
    main = again.json()["routine"]["blocks"]["main"]["exercises"]
    assert ids[0] not in [item["id"] for item in main]


def test_swapping_an_exercise_the_routine_lacks_is_422(client: httpx.Client) -> None:
    location = client.post("/v1/routines", json=ROUTINE).headers["location"]
    body = problem(client.post(f"{location}/swap", json={"exercise": "no_such_move"}), 422)
    assert "no_such_move" in str(body["detail"])
    problem(client.post("/v1/routines/nothing/swap", json={"exercise": "x"}), 404)


def test_a_plan_takes_weekly_volume_targets_and_answers_with_the_table(
    client: httpx.Client,
) -> None:
    body = {**PLAN, "focus": ["back"], "equipment": ["dumbbell"], "volume": ["lats=12-18"]}
    done = wait_job(client, client.post("/v1/plans", json=body).headers["location"])
    assert done["status"] == "done"
    doc = client.get(done["links"]["result"], headers={"accept": "application/json"}).json()
    assert doc["request"]["volume"]["lats"] == {"min": 12, "max": 18}
    rows = {row["muscle"]: row for row in doc["plan"]["weekly_volume"][0]}
    assert rows["lats"]["target"] == {"min": 12, "max": 18}
    assert rows["traps"]["target"] == {"min": 10, "max": 20}
    bad = client.post("/v1/plans", json={**body, "volume": ["latz=1-2"]})
    failed = wait_job(client, bad.headers["location"])
    assert failed["status"] == "failed" and "did you mean 'lats'" in failed["problem"]["detail"]
