"""One list of operations, read from the service models: each family is the set the CLI, the
emulator, the secrets policy and the editor each wrote by hand before, in the same order."""

from amplify_auth_widgets.core import operations


def test_the_auth_and_job_operations_come_from_the_model_in_reading_order():
    assert operations.auth_operations() == (
        "CreateBackendAuth",
        "GetBackendAuth",
        "UpdateBackendAuth",
        "DeleteBackendAuth",
        "ImportBackendAuth",
    )
    assert operations.job_operations() == ("GetBackendJob", "ListBackendJobs", "UpdateBackendJob")
    assert operations.backend_operations() == ("CreateBackend", "GetBackend", "DeleteBackend")


def test_what_each_layer_reads():
    # the CLI's API commands, in --help's order
    assert operations.commanded_operations() == (
        *operations.auth_operations(),
        "GetBackendJob",
        "ListBackendJobs",
    )
    # the requests whose shapes define secret paths, and the editor's modes
    assert operations.sending_operations() == (
        "CreateBackendAuth",
        "UpdateBackendAuth",
        "ImportBackendAuth",
    )
    assert operations.configuration_operations() == ("CreateBackendAuth", "UpdateBackendAuth")
    served = operations.emulated_operations()
    assert set(served) == {"amplifybackend", "amplify"}
    assert served["amplifybackend"] == (
        *operations.backend_operations(),
        *operations.auth_operations(),
        *operations.job_operations(),
    )
    assert sorted(served["amplify"]) == [
        "CreateApp",
        "CreateBackendEnvironment",
        "DeleteApp",
        "DeleteBackendEnvironment",
        "GetApp",
        "GetBackendEnvironment",
        "ListApps",
        "ListBackendEnvironments",
    ]
