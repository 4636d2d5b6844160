"""docker-compose.yml and deploy/nginx.conf hold together (the machine has no compose
plugin to run `docker compose config`): the services a deployment needs, a worker per
queue consuming exactly that queue, every referenced file and variable explained in the
README, and the same queues in the Makefile."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from mentorship import queues

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_docker_compose_config_if_the_plugin_is_there():
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker CLI")
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip("no docker compose plugin")
    env = {"SECRET_KEY": "x" * 50, "MINIO_ROOT_PASSWORD": "y" * 12, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr


def test_the_services_of_a_deployment(compose):
    services = compose["services"]
    expected = {"postgres", "redis", "minio", "minio-bucket", "migrate", "web", "nginx", "beat"}
    expected |= {f"worker-{queue}" for queue in queues.QUEUES}
    assert set(services) == expected
    for name, service in services.items():
        assert "image" in service or "build" in service, name
        for dependency in service.get("depends_on", {}):
            assert dependency in services, (name, dependency)
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["beat"]["deploy"]["replicas"] == 1  # two beats send everything twice
    # Only the proxy faces the network; the web nodes are reached through it.
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx"}
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in services["nginx"]["volumes"]
    # No web node keeps files of its own: media go to MinIO, not to a volume.
    for name in ("web", "worker-documents"):
        env = services[name]["environment"]
        assert env["MEDIA_STORAGE_URL"].startswith("s3://")
        assert "endpoint_url=http://minio:9000" in env["MEDIA_STORAGE_URL"]
        assert not services[name].get("volumes")
        assert env["PROXY_COUNT"] == "1" and env["LOG_FORMAT"] == "json"
    # Migrations run once, before the nodes and workers start.
    for name in ("web", "worker-mail", "worker-documents", "worker-heavy", "beat"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name
    assert "migrate" not in services["web"]["command"]


def test_a_worker_per_queue_consuming_that_queue_only(compose):
    for queue in queues.QUEUES:
        command = compose["services"][f"worker-{queue}"]["command"]
        assert re.search(rf"--queues={queue}(\s|$)", command), command
        probe = " ".join(compose["services"][f"worker-{queue}"]["healthcheck"]["test"])
        assert f"-d {queue}@" in probe
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for queue in queues.QUEUES:
        assert re.search(rf"^worker-{queue}:", makefile, re.M)
        assert f"--queues=$(QUEUE_PREFIX){queue} " in makefile
    # `make worker` alone must consume every queue, or routed tasks would wait forever.
    worker = re.search(r"^worker: .*\n\t(.*)$", makefile, re.M).group(1)
    assert all(f"$(QUEUE_PREFIX){queue}" in worker for queue in queues.QUEUES)


def test_nginx_balances_the_web_nodes_and_passes_what_the_portal_reads():
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert conf.count("{") == conf.count("}")
    assert re.search(r"upstream portal \{\s*server web:8000", conf)
    assert "proxy_pass http://portal;" in conf
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Request-ID", "Host"):
        assert f"proxy_set_header {header} " in conf
    assert "client_max_body_size 12m;" in conf  # DATA_UPLOAD_MAX_MEMORY_SIZE is 12 MB
    assert re.search(r"location = /metrics \{\s*deny all;", conf)
    assert "/media" not in conf  # files leave only through the portal's views


def test_every_variable_is_explained_in_the_readme(compose):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Развёртывание") :]
    used = set(re.findall(r"\$\{([A-Z_]+)", COMPOSE.read_text(encoding="utf-8")))
    for service in compose["services"].values():
        environment = service.get("environment") or {}
        used |= {key for key in environment if not key.startswith(("POSTGRES_", "MINIO_"))}
    for name in sorted(used):
        assert f"`{name}`" in section, f"{name} is not explained in README «Развёртывание»"
