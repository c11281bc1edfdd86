import json

from bokjihub.core.secrets import load_or_create_dev_secrets


def test_dev_secrets_are_created_once_and_kept(tmp_path):
    path = tmp_path / "dev-secrets.json"
    first = load_or_create_dev_secrets(path)
    assert load_or_create_dev_secrets(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_secret_added_by_a_newer_version_is_generated_without_touching_the_others(tmp_path):
    path = tmp_path / "dev-secrets.json"
    old = {
        "BOKJIHUB_SECRET_KEY": "s",
        "BOKJIHUB_RRN_KEYS": "dev1:k",
        "BOKJIHUB_RRN_ACTIVE_KEY_ID": "dev1",
        "BOKJIHUB_BLIND_INDEX_KEY": "b",
    }
    path.write_text(json.dumps(old))
    values = load_or_create_dev_secrets(path)
    assert {name: values[name] for name in old} == old
    assert values["BOKJIHUB_AUDIT_KEY"]
    assert json.loads(path.read_text()) == values
