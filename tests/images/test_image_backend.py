"""Image work against the real engine and a real registry started for the session."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import threading

import pytest

from dockertui.backend import credentials
from dockertui.backend.client import EngineError
from dockertui.backend.image_facts import image_facts, image_tree
from dockertui.backend.images import (
    TransferError,
    build,
    containers_using,
    dangling_images,
    last_step,
    login,
    prune_images,
    pull,
    push,
    remove_image,
    search_hub,
    tag_image,
)
from dockertui.backend.registry import RegistryClient, RegistryError

pytestmark = pytest.mark.integration


def drain(stream):
    return list(stream)


def test_login_checks_the_password_and_stores_it_as_the_cli_does(backend, registry, docker_config):
    with pytest.raises(TransferError) as refused:
        login(backend, registry.address, registry.username, "wrong-password")
    assert refused.value.kind == "unauthorized"
    assert "wrong-password" not in str(refused.value)
    assert not (docker_config / "config.json").exists()

    where = login(backend, registry.address, registry.username, registry.password)
    path = docker_config / "config.json"
    assert where == str(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    entry = json.loads(path.read_text())["auths"][registry.address]
    assert base64.b64decode(entry["auth"]).decode() == f"{registry.username}:{registry.password}"
    assert credentials.load(registry.address).password == registry.password
    assert registry.password not in repr(credentials.load(registry.address))

    assert credentials.erase(registry.address)
    assert credentials.load(registry.address) is None


def test_a_login_from_the_docker_cli_is_found(registry, docker_config):
    cli = subprocess.run(
        ["docker", "--config", str(docker_config), "login", registry.address, "-u", registry.username,
         "--password-stdin"],
        input=registry.password, capture_output=True, text=True,
    )
    if cli.returncode != 0 and "docker" in cli.stderr and "not found" in cli.stderr:
        pytest.skip("no docker CLI")
    assert cli.returncode == 0, cli.stderr
    found = credentials.load(registry.address)
    assert (found.username, found.password) == (registry.username, registry.password)


def test_credential_helpers_are_used_when_configured(tmp_path, docker_config, monkeypatch):
    store_file = tmp_path / "helper-store.json"
    helper = tmp_path / "bin" / "docker-credential-dtuitest"
    helper.parent.mkdir()
    helper.write_text(f"""#!/usr/bin/env python3
import json, sys
path = {str(store_file)!r}
try:
    data = json.load(open(path))
except FileNotFoundError:
    data = {{}}
verb, payload = sys.argv[1], sys.stdin.read()
if verb == "store":
    entry = json.loads(payload); data[entry["ServerURL"]] = entry
elif verb == "get":
    if payload.strip() not in data:
        print("credentials not found in native keychain"); sys.exit(1)
    print(json.dumps(data[payload.strip()]))
elif verb == "erase":
    data.pop(payload.strip(), None)
json.dump(data, open(path, "w"))
""")
    helper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{helper.parent}:{os.environ['PATH']}")
    (docker_config / "config.json").write_text(json.dumps({"credHelpers": {"reg.example:5000": "dtuitest"}}))

    where = credentials.store(credentials.Credentials("reg.example:5000", "alice", "s3cret"))
    assert where == "docker-credential-dtuitest"
    assert "s3cret" not in (docker_config / "config.json").read_text()
    assert json.loads(store_file.read_text())["reg.example:5000"]["Secret"] == "s3cret"
    assert credentials.load("reg.example:5000").password == "s3cret"
    assert credentials.erase("reg.example:5000")
    assert credentials.load("reg.example:5000") is None


def test_push_remove_and_pull_back(backend, registry, docker_config, docker_client, fixture_image, pushed_name):
    fixture_id = docker_client.images.get(fixture_image).id
    assert tag_image(backend, fixture_id, pushed_name) == pushed_name

    with pytest.raises(TransferError) as refused:
        drain(push(backend, pushed_name))
    assert refused.value.kind == "unauthorized"

    login(backend, registry.address, registry.username, registry.password)
    progress = drain(push(backend, pushed_name))
    statuses = {p.status for p in progress}
    # Each layer is sent, found there already, or mounted from another repository of the
    # registry that has it (an earlier test may have pushed the same image elsewhere).
    sent = any(p.total for p in progress)
    assert sent or "Layer already exists" in statuses or any(s.startswith("Mounted from ") for s in statuses)
    assert any("digest: sha256:" in p.status for p in progress)

    assert f"Untagged: {pushed_name}" in remove_image(backend, pushed_name)
    progress = drain(pull(backend, pushed_name))
    assert any("Downloaded newer image" in p.status or "Image is up to date" in p.status for p in progress)
    assert docker_client.images.get(pushed_name).id == fixture_id

    client = RegistryClient.with_stored_login(registry.address)
    repository = pushed_name.split("/", 1)[1].rsplit(":", 1)[0]
    assert repository in client.repositories()
    assert client.tags(repository) == ["t1"]
    with pytest.raises(RegistryError) as anonymous:
        RegistryClient(registry.address).repositories()
    assert anonymous.value.kind == "unauthorized"


def test_pull_errors_say_what_went_wrong(backend, registry, docker_config):
    with pytest.raises(TransferError) as malformed:
        pull(backend, "Not A//Reference")
    assert malformed.value.kind == "reference"
    with pytest.raises(TransferError) as unauthorized:
        drain(pull(backend, f"{registry.address}/dtui-test-none/nothing:1"))
    assert unauthorized.value.kind == "unauthorized"
    login(backend, registry.address, registry.username, registry.password)
    with pytest.raises(TransferError) as missing:
        drain(pull(backend, f"{registry.address}/dtui-test-none/nothing:1"))
    assert missing.value.kind == "not_found"
    with pytest.raises(TransferError) as unreachable:
        drain(pull(backend, "127.0.0.1:1/dtui-test/nothing:1"))
    assert unreachable.value.kind == "unreachable"


def test_hub_search_fails_clearly_without_internet(backend):
    try:
        results = search_hub(backend, "busybox", timeout=20)
    except TransferError as error:
        assert error.kind == "unreachable" and "Docker Hub" in str(error)
    else:
        assert all(r.name for r in results)


def test_build_onbuild_base_child_and_failing_step(
    backend, docker_client, fixture_image, test_run_label, unique_name, tmp_path
):
    label = f"dockertui.test={test_run_label['dockertui.test']}"
    (tmp_path / "Dockerfile").write_text(
        f"FROM {fixture_image}\nLABEL {label}\nARG GREETING=hi\nONBUILD RUN echo triggered\n"
        "RUN echo $GREETING > /greeting\n"
    )
    tag = f"dtui-test/{unique_name('build')}:1"
    lines = drain(build(backend, str(tmp_path), tag, buildargs={"GREETING": "hello [/foo]"}, labels=test_run_label))
    assert not [line.error for line in lines if line.error]
    built = [line.image_id for line in lines if line.image_id][-1]
    assert any("Step 5/6 : RUN echo $GREETING" in line.text for line in lines)
    assert docker_client.images.get(tag).id == built

    facts = image_facts(backend, built)
    assert facts.onbuild == ("RUN echo triggered",)
    fixture = docker_client.images.get(fixture_image)
    assert facts.parent is not None and facts.parent.id == fixture.id
    assert not facts.is_base
    assert any("echo $GREETING" in entry.created_by for entry in facts.history)
    assert facts.storage_driver and facts.root_dir and facts.graph_driver == facts.storage_driver
    assert dict(facts.kinds)[tag] == "user"
    base = image_facts(backend, fixture.id)
    assert built in {child.id for child in base.children}
    tree = image_tree(backend)
    assert built in tree.children[fixture.id]

    (tmp_path / "Dockerfile").write_text(f"FROM {fixture_image}\nLABEL {label}\nRUN echo fine\nRUN false\n")
    lines = drain(build(backend, str(tmp_path), f"{unique_name('broken')}:1", labels=test_run_label))
    errors = [line.error for line in lines if line.error]
    assert errors and "non-zero code: 1" in errors[0]
    assert last_step([line.text for line in lines]) == "Step 4/5 : RUN false"


def test_rmi_of_an_image_in_use_needs_force(backend, docker_client, fixture_image, test_run_label, unique_name):
    tag = f"{unique_name('inuse')}:1"
    image_id = docker_client.images.get(fixture_image).id
    tag_image(backend, image_id, tag)
    container = docker_client.containers.create(tag, ["true"], labels=test_run_label, name=unique_name("user"))
    try:
        assert container.id in {c.id for c in containers_using(backend, image_id)}
        with pytest.raises(EngineError) as conflict:
            remove_image(backend, image_id)
        assert conflict.value.status == 409
        assert remove_image(backend, tag) == [f"Untagged: {tag}"]
    finally:
        container.remove(force=True)


def test_prune_takes_only_labelled_dangling_images(backend, docker_client, fixture_image, test_run_label, tmp_path):
    label = f"dockertui.test={test_run_label['dockertui.test']}"
    (tmp_path / "Dockerfile").write_text(f"FROM {fixture_image}\nLABEL {label}\nRUN echo prune-me-{os.getpid()}\n")
    lines = drain(build(backend, str(tmp_path), labels=test_run_label))
    built = [line.image_id for line in lines if line.image_id][-1]
    ours = test_run_label["dockertui.test"]
    others = {image.id for image in dangling_images(backend, []) if dict(image.labels).get("dockertui.test") != ours}

    preview = dangling_images(backend, [label])
    assert built in {image.id for image in preview}
    assert all(dict(image.labels).get("dockertui.test") == test_run_label["dockertui.test"] for image in preview)
    result = prune_images(backend, [label])
    assert result.deleted >= 1
    assert backend.get_image(built) is None
    assert others <= {image.id for image in dangling_images(backend, [])}


def test_bearer_token_registries_are_browsed(docker_config):
    from tests.images.token_registry import token_registry

    with token_registry("bob", "pw") as address:
        credentials.store(credentials.Credentials(address, "bob", "pw"))
        client = RegistryClient.with_stored_login(address)
        assert client.repositories() == ["team/app"]
        assert client.tags("team/app") == ["1.0", "latest"]
        credentials.store(credentials.Credentials(address, "bob", "nope"))
        with pytest.raises(RegistryError) as refused:
            RegistryClient.with_stored_login(address).repositories()
        assert refused.value.kind == "unauthorized"


def test_a_pull_can_be_cancelled(backend, registry, docker_config, fixture_image, docker_client, pushed_name):
    docker_client.images.get(fixture_image).tag(pushed_name)
    login(backend, registry.address, registry.username, registry.password)
    drain(push(backend, pushed_name))
    stream = pull(backend, pushed_name)
    closer = threading.Timer(0, stream.close)
    closer.start()
    closer.join()
    assert stream.closed
    assert list(stream) == []
