"""An amplify-meta.json of the usual shape, as Gen 1 writes it for an environment with auth."""

from __future__ import annotations

ROLE = "arn:aws:iam::210987654321:role/amplify-todo-dev-123456"
POOL_ARN = "arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_AbC123xyZ"
META = {
    "providers": {
        "awscloudformation": {
            "AuthRoleArn": f"{ROLE}-authRole",
            "UnauthRoleArn": f"{ROLE}-unauthRole",
            "Region": "eu-west-1",
            "StackName": "amplify-todo-dev-123456",
        }
    },
    "auth": {
        "todoauth": {
            "service": "Cognito",
            "output": {
                "UserPoolId": "eu-west-1_AbC123xyZ",
                "UserPoolArn": POOL_ARN,
                "UserPoolName": "todo-users-dev",
                "AppClientIDWeb": "a" * 26,
                "AppClientID": "b" * 26,
                "AppClientSecret": "the-native-client-secret",
                "IdentityPoolId": "eu-west-1:0b5b5b5b-1111-4222-8333-444444444444",
                "IdentityPoolName": "todo_identity__dev",
            },
        }
    },
}
