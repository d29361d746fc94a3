"""deploy/: the compose file, the Kubernetes sketch, the image and the dashboard are checked
against the code, since no container engine runs here: `docker compose config -q` when the
compose plugin exists, and always a schema check (every command is one egov has, every
variable one egov reads, every worker group the Procfile's, every panel's metric one egov or
django-prometheus exports)."""

import json
import re
import shlex
import shutil
import subprocess

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from django.test import Client
from prometheus_client import REGISTRY

from egov.observability import metrics
from tests.support import ROOT

DEPLOY = ROOT / "deploy"
SECRETS = ["SECRET_KEY", "PERSONAL_DATA_MASTER_KEY", "PSEUDONYM_KEY", "AUDIT_SIGNING_KEY"]
READ = re.compile(
    r"""(?:env\.\w+\(|environ(?:\.get)?[(\[]|getenv\()\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def variables_egov_reads() -> set[str]:
    names = set()
    for folder in ("egov", "apps"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(READ.findall(path.read_text()))
    names |= set(READ.findall((DEPLOY / "gunicorn.conf.py").read_text()))
    aliases = [a for a in settings.DATABASES if not a.startswith("kerneltest")]
    names |= {f"DATABASE_URL_{alias.upper()}" for alias in aliases}
    reads = [alias for alias in aliases if alias.endswith("_read")]
    names |= {f"DATABASE_URL_{alias.upper()}_REPLICA" for alias in reads}
    names |= {f"{secret}_FILE" for secret in SECRETS} | {"EGOV_KEYS_FILE"}
    return names - {"TEST_CELERY_BROKER_URL", "EGOV_TEST_DB_SUFFIX", "WHITENOISE_USE_FINDERS"}


def procfile_groups() -> set[tuple[str, ...]]:
    groups = set()
    for line in (ROOT / "Procfile").read_text().splitlines():
        if " worker " in line:
            [queues] = re.findall(r" -Q (\S+)", line)
            groups.add(tuple(queues.replace("${CELERY_QUEUE_PREFIX}", "").split(",")))
    return groups


def check_command(command: list[str]) -> str:
    """What an egov container runs; fails unless egov has it. Returns its kind."""
    if command[:2] == ["sh", "-c"]:
        kinds = {check_command(shlex.split(part)) for part in command[2].split("&&")}
        assert kinds == {"manage"}
        return "manage"
    if command[:3] == ["python", "manage.py", command[2]]:
        assert command[2] in get_commands(), command
        return "manage"
    if command[0] == "gunicorn":
        assert command[1:4] == ["egov.wsgi", "-c", "deploy/gunicorn.conf.py"]
        return "web"
    assert command[:3] == ["celery", "-A", "egov"], command
    assert command[3] in {"worker", "beat"}
    return command[3]


def worker_queues(command: list[str]) -> tuple[str, ...]:
    return tuple(command[command.index("-Q") + 1].split(","))


# --- compose ---------------------------------------------------------------------------------


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def egov_services() -> dict[str, dict]:
    return {name: s for name, s in compose()["services"].items() if "build" in s}


@pytest.mark.skipif(
    not shutil.which("docker")
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="no docker compose plugin here: the schema checks below stand in",
)
def test_docker_compose_accepts_the_file(tmp_path):
    copy = shutil.copytree(DEPLOY, tmp_path / "deploy")
    (copy / "secrets").mkdir(exist_ok=True)
    for name in compose()["secrets"]:
        (copy / "secrets" / name).write_text("placeholder\n")
    checked = subprocess.run(
        ["docker", "compose", "-f", str(copy / "compose.yaml"), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_compose_runs_every_egov_process_with_commands_egov_has():
    services = egov_services()
    kinds = {name: check_command(service["command"]) for name, service in services.items()}

    assert sorted(kinds.values()) == sorted(
        ["manage", "web", "beat", "manage", "manage", *["worker"] * len(procfile_groups())]
    )
    workers = {worker_queues(services[n]["command"]) for n, k in kinds.items() if k == "worker"}
    assert workers == procfile_groups()
    assert [services[n]["command"][2] for n in ("relay", "consume")] == ["bus_relay", "bus_consume"]


def test_compose_sets_only_variables_egov_reads_and_its_secrets_as_files():
    known = variables_egov_reads()
    for name, service in egov_services().items():
        environment = service["environment"]
        assert set(environment) <= known, (name, set(environment) - known)
        assert {f"{secret}_FILE" for secret in SECRETS} <= set(environment)
        assert not set(SECRETS) & set(environment)  # never a secret's value in the file


def test_compose_has_the_multi_server_layout_and_every_reference_resolves():
    document = compose()
    services = document["services"]
    assert {
        "pg-ktp", "pg-ktp-replica", "pg-izin", "pg-izin-replica", "pg-lain", "pgbouncer",
        "redis", "rabbitmq", "nats", "web", "beat", "relay", "consume",
    } <= set(services)
    for name, service in services.items():
        depends = service.get("depends_on", [])
        assert set(depends) <= set(services), name
        assert set(service.get("secrets", [])) <= set(document["secrets"]), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./") and not source.startswith("./secrets/"):
                assert (DEPLOY / source).exists(), (name, source)
            elif not source.startswith("./"):
                assert source in document["volumes"], (name, source)
    urls = services["web"]["environment"]
    assert urls["DATABASE_URL_KTP_READ_REPLICA"].split("@")[1].startswith("pg-ktp-replica:")
    assert urls["DATABASE_URL_IZIN"].split("@")[1].startswith("pgbouncer:6432/")


# --- Kubernetes ------------------------------------------------------------------------------


def manifests() -> list[dict]:
    return [
        document
        for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
        for document in yaml.safe_load_all(path.read_text())
    ]


def test_the_kubernetes_sketch_runs_the_same_processes_as_non_root():
    documents = manifests()
    kustomization = next(d for d in documents if d["kind"] == "Kustomization")
    listed = {p.name for p in (DEPLOY / "k8s").glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == listed
    deployments = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Deployment"}
    containers = {
        name: d["spec"]["template"]["spec"]["containers"][0] for name, d in deployments.items()
    }
    kinds = {name: check_command(c["command"]) for name, c in containers.items()}
    workers = {worker_queues(containers[n]["command"]) for n, k in kinds.items() if k == "worker"}

    assert workers == procfile_groups()
    assert [n for n, k in kinds.items() if k == "beat"] == ["egov-beat"]
    assert deployments["egov-beat"]["spec"]["replicas"] == 1
    assert deployments["egov-beat"]["spec"]["strategy"] == {"type": "Recreate"}
    assert deployments["egov-bus-relay"]["spec"]["replicas"] == 1
    for container in containers.values():
        assert container["securityContext"]["runAsNonRoot"] is True
    web = containers["egov-web"]
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_the_kubernetes_configuration_holds_only_variables_egov_reads():
    known = variables_egov_reads()
    documents = manifests()
    config = next(d for d in documents if d["kind"] == "ConfigMap")
    secret = next(d for d in documents if d["kind"] == "Secret")
    assert set(config["data"]) <= known, set(config["data"]) - known
    assert set(secret["stringData"]) == {*SECRETS, "METRICS_TOKEN"}
    for document in documents:
        if document["kind"] in {"Deployment", "Job"}:
            for container in document["spec"]["template"]["spec"]["containers"]:
                names = {e["name"] for e in container["env"]} - {"POD_NAME"}
                assert names <= known, names - known


# --- image and dashboard ---------------------------------------------------------------------


def test_the_image_is_python_311_slim_running_gunicorn_as_a_user():
    lines = [line.strip() for line in (DEPLOY / "Dockerfile").read_text().splitlines()]
    assert "FROM python:3.11-slim" in lines
    [user] = [line for line in lines if line.startswith("USER ")]
    assert user.split()[1].split(":")[0] not in {"root", "0"}
    assert lines[-1] == 'CMD ["gunicorn", "egov.wsgi", "-c", "deploy/gunicorn.conf.py"]'


def test_every_dashboard_panel_queries_a_metric_egov_exports():
    Client().get("/healthz")  # django-prometheus's request metrics exist once a request ran
    exported = {family.name for family in REGISTRY.collect()}
    exported |= {family.name for family in metrics.EgovCollector().collect()}
    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text())

    assert [i["name"] for i in dashboard["__inputs"]] == ["DS_PROMETHEUS"]
    used = set()
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == "${DS_PROMETHEUS}"
        for target in panel["targets"]:
            used |= set(re.findall(r"\b((?:egov|django)_[a-z_]+)", target["expr"]))
    bare = {re.sub(r"_(total|bucket|sum|count)$", "", name) for name in used}
    assert bare <= exported, bare - exported
    assert {
        "egov_events_appended",
        "egov_projector_lag_events",
        "egov_queue_depth_messages",
        "egov_bus_relay_lag_events",
    } <= bare
