"""Which engines make the fleet: repeated -H/--context, --all-contexts, and [fleets.NAME] in the config."""

from __future__ import annotations

import pytest

from dockertui.app import DockerTUI
from dockertui.arguments import build_parser
from dockertui.backend.connection import ContextError
from dockertui.cli import choose_engines
from dockertui.config import ConfigError, load_config, parse_config
from tests.support.pilot import dashboard_up, wait_until
from tests.unit.test_connection import write_context


def choose(argv: list[str], config_text: str = ""):
    return choose_engines(build_parser().parse_args(argv), parse_config(config_text))


def test_one_engine_is_no_fleet(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///one.sock")
    target, fleet = choose([])
    assert target.url == "unix:///one.sock" and fleet is None
    target, fleet = choose(["-H", "web=unix:///named.sock"])
    assert target.url == "unix:///named.sock" and fleet is None


def test_repeated_hosts_make_a_fleet_with_names_of_their_own():
    _, fleet = choose(["-H", "ssh://root@web1", "-H", "ssh://web2:2222", "-H", "db=tcp://10.0.0.3:2375",
                       "-H", "unix:///a.sock", "-H", "unix:///b.sock"])
    assert [(e.name, e.target.url) for e in fleet] == [
        ("web1", "ssh://root@web1"), ("web2", "ssh://web2:2222"), ("db", "tcp://10.0.0.3:2375"),
        ("local", "unix:///a.sock"), ("local-2", "unix:///b.sock"),
    ]


def test_the_same_engine_named_twice_counts_once():
    target, fleet = choose(["-H", "unix:///a.sock", "-H", "again=unix:///a.sock"])
    assert fleet is None and target.url == "unix:///a.sock"


def test_a_config_fleet_names_hosts_and_contexts(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    write_context(tmp_path, "prod-db", "tcp://10.0.0.9:2376")
    config = '[fleets.prod]\nhosts = ["web1=ssh://root@10.0.0.1"]\ncontexts = ["prod-db"]\n'
    _, fleet = choose(["--fleet", "prod"], config)
    assert [(e.name, e.target.url) for e in fleet] == [("web1", "ssh://root@10.0.0.1"), ("prod-db", "tcp://10.0.0.9:2376")]
    with pytest.raises(ContextError, match="no fleet 'stage'.*prod"):
        choose(["--fleet", "stage"], config)


@pytest.mark.parametrize("text, problem", [
    ('[fleets.prod]\nhosts = "ssh://web1"\n', "fleet 'prod'"),
    ('[fleets.prod]\nservers = ["ssh://web1"]\n', "fleet 'prod'"),
    ("[fleets.prod]\n", "names no engine"),
])
def test_a_malformed_fleet_is_a_config_error(text, problem):
    with pytest.raises(ConfigError, match=problem):
        parse_config(text)


def test_all_contexts_takes_every_usable_context(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.setenv("DOCKER_HOST", "unix:///default.sock")
    write_context(tmp_path, "web", "ssh://root@web")
    write_context(tmp_path, "db", "tcp://db:2376")
    _, fleet = choose(["--all-contexts"])
    assert [(e.name, e.target.url) for e in fleet] == [
        ("default", "unix:///default.sock"), ("db", "tcp://db:2376"), ("web", "ssh://root@web"),
    ]


@pytest.mark.integration
async def test_a_config_fleet_opens_both_engines(tmp_path, engine_target, private_engine):
    """``dockertui --fleet lab`` with [fleets.lab] naming the suite's engine and engine b."""
    path = tmp_path / "config.toml"
    path.write_text(f'[fleets.lab]\nhosts = ["here={engine_target.url}", "there={private_engine.url}"]\n')
    config, problem = load_config(path)
    assert problem is None
    target, fleet = choose_engines(build_parser().parse_args(["--fleet", "lab"]), config)
    app = DockerTUI(target, config=config, fleet=fleet)
    async with dashboard_up(app, size=(140, 36)) as pilot:
        await wait_until(pilot, lambda: "● here" in app.sub_title and "● there" in app.sub_title,
                         what=lambda: app.sub_title)
        assert app.dashboard.containers.show_hosts


def test_print_host_names_every_engine_of_a_fleet(capsys):
    from dockertui.cli import main

    assert main(["-H", "a=unix:///x.sock", "-H", "tcp://h:2375", "--print-host"]) == 0
    assert capsys.readouterr().out.splitlines() == ["a\tunix:///x.sock\t(--host)", "h\ttcp://h:2375\t(--host)"]
