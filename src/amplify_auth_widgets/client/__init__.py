"""The client: connection settings (``connection``) and the AmplifyBackend service with its
retries and errors (``service``). Built on the core; knows nothing of jobs, fleets or widgets."""
