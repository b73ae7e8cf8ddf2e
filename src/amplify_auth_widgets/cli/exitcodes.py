"""Exit codes of the ``amplify-auth`` command, as the AWS CLI v2 defines them.

Every layer that ends a command (the API commands, ``validate``, ``emulator``, ``app`` and the
others) returns one of these, so that scripts can tell bad input from a service's refusal.
"""

#: Success.
EXIT_OK = 0
#: A plan made whole that some parts cannot follow yet (``fleet plan``: an environment
#: blocked), as the AWS CLI's ``s3`` commands answer 1 when some files failed.
EXIT_PARTIAL = 1
#: Bad syntax, a bad option or input file, or a request with error findings (never sent).
EXIT_USAGE = 252
#: A configuration that cannot work: AWS config or credentials, a state file that is unusable.
EXIT_CONFIG = 253
#: The service answered with an error (or a job it ran FAILED).
EXIT_SERVICE = 254
#: Anything else: a refused connection, a timeout, a local verdict, an unexpected failure.
EXIT_OTHER = 255
#: Interrupted by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130
