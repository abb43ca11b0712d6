#!/usr/bin/env python3
"""Smallest reproductions of the moto 5.2.1 Step Functions bugs that
moto_launcher.py patches, against a *stock* moto_server (no launcher, no
patches), so each can be offered upstream as it stands.

    python3 scripts/local-stack/upstream_repros.py          # all
    python3 scripts/local-stack/upstream_repros.py deepcopy # one

Starts `moto_server` on a free port in its own process group (stopped at the
end), turns state machine execution on through /moto-api/config, and prints
one line per reproduction: REPRODUCED (the bug is there) or NOT REPRODUCED
(fixed in this moto, or the repro no longer applies). Exit status 0 either
way: this documents, check_moto_launcher.py proves the fixes.

moto 5.2.1 fails every StartExecution after the first in an account/region
(moto#10077), so every repro that runs executions uses a region of its own.
PATCHES.md says which patch each repro belongs to.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/sfn"
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
_regions = iter(
    [
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1",
        "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2",
        "ca-central-1", "sa-east-1", "us-west-1", "us-west-2", "us-east-2", "af-south-1",
        "me-south-1", "ap-east-1", "ap-northeast-3", "eu-central-2", "eu-south-2",
        "ap-south-2", "ap-southeast-3", "me-central-1", "il-central-1", "ca-west-1",
        "ap-southeast-4", "mx-central-1", "ap-southeast-5",
    ]
)


class Stock:
    """A stock moto_server and clients for it, one region per repro."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, MOTO_PORT=str(self.port))  # where the engine sends service calls
        self.proc = subprocess.Popen(
            ["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{self.url}/moto-api/", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        requests.post(f"{self.url}/moto-api/config", json={"stepfunctions": {"execute_state_machine": True}}, timeout=5)

    def clients(self, *services: str) -> list[Any]:
        region = next(_regions)
        config = Config(inject_host_prefix=False, retries={"total_max_attempts": 1})
        return [
            boto3.client(
                service,
                endpoint_url=self.url,
                region_name=region,
                aws_access_key_id="x",
                aws_secret_access_key="x",
                config=config,
            )
            for service in services
        ]

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=10)


def machine(sfn: Any, definition: dict, **kwargs: Any) -> str:
    name = f"m{time.time_ns()}"
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE, **kwargs)[
        "stateMachineArn"
    ]


def finished(sfn: Any, execution_arn: str, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while (described := sfn.describe_execution(executionArn=execution_arn))["status"] == "RUNNING":
        if time.monotonic() > deadline:
            return described
        time.sleep(0.05)
    return described


# --------------------------------------------------------------------------- #
# The repros: each returns (reproduced, what was seen)
# --------------------------------------------------------------------------- #
def error_codes(stock: Stock) -> tuple[bool, str]:
    (sfn,) = stock.clients("stepfunctions")
    try:
        sfn.start_execution(stateMachineArn=machine(sfn, PASS), input="{not json")
    except ClientError as err:
        code = err.response["Error"]["Code"]
        return code != "InvalidExecutionInput", f"StartExecution with invalid JSON input -> code {code!r}"
    return True, "invalid input accepted"


def deepcopy(stock: Stock) -> tuple[bool, str]:
    (sfn,) = stock.clients("stepfunctions")
    arn = machine(sfn, PASS)
    sfn.start_execution(stateMachineArn=arn, name="first")
    try:
        sfn.start_execution(stateMachineArn=arn, name="second")
    except ClientError as err:
        return True, f"second StartExecution -> HTTP {err.response['ResponseMetadata']['HTTPStatusCode']}"
    return False, "second StartExecution accepted"


def default_execution_name(stock: Stock) -> tuple[bool, str]:
    (sfn,) = stock.clients("stepfunctions")
    execution_arn = sfn.start_execution(stateMachineArn=machine(sfn, PASS))["executionArn"]
    return execution_arn.endswith(":None"), f"StartExecution without name -> ...{execution_arn[-30:]}"


def express_and_sync(stock: Stock) -> tuple[bool, str]:
    (sfn,) = stock.clients("stepfunctions")
    arn = machine(sfn, PASS, type="EXPRESS")
    described = sfn.describe_state_machine(stateMachineArn=arn)["type"]
    try:
        status = sfn.start_sync_execution(stateMachineArn=arn, input="{}")["status"]
    except ClientError as err:
        status = f"HTTP {err.response['ResponseMetadata']['HTTPStatusCode']}"
    return described != "EXPRESS" or status != "SUCCEEDED", f"type EXPRESS described as {described}; StartSyncExecution -> {status}"


def eventbridge_target(stock: Stock) -> tuple[bool, str]:
    sfn, events = stock.clients("stepfunctions", "events")
    arn = machine(sfn, PASS)
    events.put_rule(Name="r", EventPattern=json.dumps({"source": ["shop"]}))
    events.put_targets(Rule="r", Targets=[{"Id": "sfn", "Arn": arn, "RoleArn": ROLE}])
    try:
        events.put_events(Entries=[{"Source": "shop", "DetailType": "OrderPlaced", "Detail": "{}"}])
    except ClientError as err:
        return True, f"PutEvents -> HTTP {err.response['ResponseMetadata']['HTTPStatusCode']}"
    started = sfn.list_executions(stateMachineArn=arn)["executions"]
    return not started, f"PutEvents accepted, {len(started)} execution(s) started"


def eventbridge_lambda_target(stock: Stock) -> tuple[bool, str]:
    (events,) = stock.clients("events")
    region = events.meta.region_name
    events.put_rule(Name="restocked", EventPattern=json.dumps({"source": ["shop"], "detail-type": ["InventoryRestocked"]}))
    events.put_targets(Rule="restocked", Targets=[{"Id": "fn", "Arn": f"arn:aws:lambda:{region}:123456789012:function:f"}])
    try:
        events.put_events(Entries=[{"Source": "shop", "DetailType": "InventoryRestocked", "Detail": "{}"}])
    except ClientError as err:
        return True, f"PutEvents -> HTTP {err.response['ResponseMetadata']['HTTPStatusCode']}"
    return False, "PutEvents accepted"


def sfn_start_execution_integration(stock: Stock) -> tuple[bool, str]:
    (sfn,) = stock.clients("stepfunctions")
    child = machine(sfn, PASS)
    parent = machine(
        sfn,
        {
            "StartAt": "Run",
            "States": {
                "Run": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {"StateMachineArn": child, "Input": {"x": 1}},
                    "End": True,
                }
            },
        },
    )
    described = finished(sfn, sfn.start_execution(stateMachineArn=parent)["executionArn"])
    return described["status"] != "SUCCEEDED", f"parent {described['status']}: {(described.get('cause') or '')[-120:]}"


def describe_execution_datetime(stock: Stock) -> tuple[bool, str]:
    sfn, dynamodb = stock.clients("stepfunctions", "dynamodb")
    dynamodb.create_table(
        TableName="t",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    arn = machine(
        sfn,
        {
            "StartAt": "D",
            "States": {
                "D": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:dynamodb:describeTable",
                    "Parameters": {"TableName": "t"},
                    "End": True,
                }
            },
        },
    )
    execution_arn = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    time.sleep(1)
    try:
        status = sfn.describe_execution(executionArn=execution_arn)["status"]
    except ClientError as err:
        return True, f"DescribeExecution -> HTTP {err.response['ResponseMetadata']['HTTPStatusCode']}"
    return False, f"DescribeExecution -> {status}"


def mock_config(stock: Stock) -> tuple[bool, str]:
    (sfn,) = stock.clients("stepfunctions")
    arn = machine(sfn, PASS)
    try:
        sfn.start_execution(stateMachineArn=f"{arn}#HappyPath")
    except ClientError as err:
        return True, f"StartExecution on arn#HappyPath -> {err.response['Error']['Code']} (SFN_MOCK_CONFIG not read)"
    return False, "arn#HappyPath started"


def send_task_failure_cause(stock: Stock) -> tuple[bool, str]:
    sfn, sqs = stock.clients("stepfunctions", "sqs")
    queue_url = sqs.create_queue(QueueName="tokens")["QueueUrl"]
    arn = machine(
        sfn,
        {
            "StartAt": "Ask",
            "States": {
                "Ask": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": queue_url, "MessageBody": {"token.$": "$$.Task.Token"}},
                    "End": True,
                }
            },
        },
    )
    execution_arn = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    for _ in range(100):
        messages = sqs.receive_message(QueueUrl=queue_url).get("Messages")
        if messages:
            break
        time.sleep(0.05)
    sfn.send_task_failure(taskToken=json.loads(messages[0]["Body"])["token"], error="Rejected", cause="said no")
    described = finished(sfn, execution_arn)
    return described.get("cause") != "said no", f"SendTaskFailure(cause='said no') -> execution cause {described.get('cause')!r}"


def singleton_array_path(stock: Stock) -> tuple[bool, str]:
    (sfn,) = stock.clients("stepfunctions")
    arn = machine(
        sfn,
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"first.$": "$.items[0].x"}, "End": True}}},
    )
    execution_arn = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"items": [{"x": 5}, {"x": 6}]}))["executionArn"]
    output = json.loads(finished(sfn, execution_arn)["output"])
    return output != {"first": 5}, f"$.items[0].x on [{{x:5}},{{x:6}}] -> {json.dumps(output)}"


def parallel_sibling_race(stock: Stock) -> tuple[bool, str]:
    """One branch fails at once (a Fail state), the other runs three Pass
    states. One execution per region (moto#10077), so only a dozen runs."""
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom"}}},
                    {
                        "StartAt": "A",
                        "States": {
                            "A": {"Type": "Pass", "Next": "B"},
                            "B": {"Type": "Pass", "Next": "C"},
                            "C": {"Type": "Pass", "End": True},
                        },
                    },
                ],
                "End": True,
            }
        },
    }
    outcomes: dict[str, int] = {}
    for _ in range(12):
        (sfn,) = stock.clients("stepfunctions")
        execution_arn = sfn.start_execution(stateMachineArn=machine(sfn, definition))["executionArn"]
        finished(sfn, execution_arn)
        types = [e["type"] for e in sfn.get_execution_history(executionArn=execution_arn)["events"]]
        failed_at = types.index("ParallelStateFailed")
        sibling = [t for t in types[:failed_at] if t.startswith("Pass")]
        after = [t for t in types[failed_at + 1 :] if t != "ExecutionFailed"]
        key = f"sibling {'/'.join(sibling) or 'never started'}" + (f", then {after}" if after else "")
        outcomes[key] = outcomes.get(key, 0) + 1
    return len(outcomes) > 1, "; ".join(f"{n}x {k}" for k, n in sorted(outcomes.items(), key=lambda kv: -kv[1]))


def map_sibling_race(stock: Stock) -> tuple[bool, str]:
    """An inline Map: item 0 waits a second, items 1 and 2 fail at once; the
    Map's Catch ends the execution. AWS aborts item 0 (MapIterationAborted,
    WaitStateAborted) and records one MapIterationFailed before MapStateFailed;
    stock moto records no abort, and iterations report outcomes after the Map
    already failed."""
    (sfn,) = stock.clients("stepfunctions")
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Route",
                    "States": {
                        "Route": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": True, "Next": "Boom"}], "Default": "Pause"},
                        "Boom": {"Type": "Fail", "Error": "Boom"},
                        "Pause": {"Type": "Wait", "Seconds": 1, "End": True},
                    },
                },
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}],
                "End": True,
            },
            "Handled": {"Type": "Pass", "End": True},
        },
    }
    items = json.dumps({"items": [{"fail": False}, {"fail": True}, {"fail": True}]})
    execution_arn = sfn.start_execution(stateMachineArn=machine(sfn, definition), input=items)["executionArn"]
    finished(sfn, execution_arn)
    time.sleep(1.5)  # item 0's Wait ends
    types = [e["type"] for e in sfn.get_execution_history(executionArn=execution_arn)["events"]]
    failed_at = types.index("MapStateFailed")
    late = [t for t in types[failed_at + 1 :] if t.startswith("MapIteration")]
    failures = types.count("MapIterationFailed")
    reproduced = "MapIterationAborted" not in types or bool(late) or failures != 1
    return reproduced, f"{failures} MapIterationFailed, {types.count('MapIterationAborted')} MapIterationAborted; after MapStateFailed: {late or 'nothing'}"


def scheduled_rule_swallows_s3_events(stock: Stock) -> tuple[bool, str]:
    """A scheduled rule with a Lambda target, then a rule for S3's Object Created:
    the upload's event never reaches the second rule."""
    events, s3, sqs = stock.clients("events", "s3", "sqs")
    region = events.meta.region_name
    events.put_rule(Name="every-15-minutes", ScheduleExpression="rate(15 minutes)")
    events.put_targets(Rule="every-15-minutes", Targets=[{"Id": "fn", "Arn": f"arn:aws:lambda:{region}:123456789012:function:f"}])
    s3.create_bucket(Bucket="uploads", **({} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}))
    s3.put_bucket_notification_configuration(Bucket="uploads", NotificationConfiguration={"EventBridgeConfiguration": {}})
    queue_url = sqs.create_queue(QueueName="uploads")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="object-created", EventPattern=json.dumps({"source": ["aws.s3"], "detail-type": ["Object Created"]}))
    events.put_targets(Rule="object-created", Targets=[{"Id": "queue", "Arn": queue_arn}])
    s3.put_object(Bucket="uploads", Key="doc", Body=b"x")
    received = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=2).get("Messages", [])
    return not received, f"{len(received)} Object Created event(s) reached the rule after the scheduled one"


def conditional_write_race(stock: Stock) -> tuple[bool, str]:
    """Eight clients at once decrement a stock of 1 under `stock >= 1`."""
    import threading

    dynamodb, *racers = stock.clients(*["dynamodb"] * 9)  # one region for all nine
    dynamodb.create_table(
        TableName="stock",
        KeySchema=[{"AttributeName": "sku", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "sku", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    update = "SET stock = stock - :one, " + ", ".join(f"note{i} = :one" for i in range(10))
    oversold = 0
    for _ in range(10):
        dynamodb.put_item(TableName="stock", Item={"sku": {"S": "A"}, "stock": {"N": "1"}})
        won: list[int] = []
        start = threading.Barrier(len(racers))

        def take(client: Any) -> None:
            start.wait()
            try:
                client.update_item(TableName="stock", Key={"sku": {"S": "A"}}, UpdateExpression=update,
                                   ConditionExpression="stock >= :one", ExpressionAttributeValues={":one": {"N": "1"}})
                won.append(1)
            except ClientError:
                pass

        threads = [threading.Thread(target=take, args=(client,)) for client in racers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        oversold += len(won) > 1
    return oversold > 0, f"{oversold} of 10 rounds let more than one conditional update take the last unit"


def aws_sdk_error_name(stock: Stock) -> tuple[bool, str]:
    sfn, s3 = stock.clients("stepfunctions", "s3")
    region = sfn.meta.region_name
    s3.create_bucket(Bucket="empty", **({} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}))
    arn = machine(sfn, {"StartAt": "Get", "States": {"Get": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
        "Parameters": {"Bucket": "empty", "Key": "missing"}, "End": True}}})
    execution = finished(sfn, sfn.start_execution(stateMachineArn=arn)["executionArn"])
    return execution.get("error") != "S3.NoSuchKeyException", f"error {execution.get('error')!r} (AWS: 'S3.NoSuchKeyException')"


def execution_status_change_events(stock: Stock) -> tuple[bool, str]:
    sfn, events, sqs = stock.clients("stepfunctions", "events", "sqs")
    arn = machine(sfn, PASS)
    queue_url = sqs.create_queue(QueueName="status-changes")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="status", EventPattern=json.dumps({"source": ["aws.states"], "detail-type": ["Step Functions Execution Status Change"]}))
    events.put_targets(Rule="status", Targets=[{"Id": "queue", "Arn": queue_arn}])
    described = finished(sfn, sfn.start_execution(stateMachineArn=arn)["executionArn"])
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    return not messages, f"{len(messages)} events in the rule's queue after the execution {described['status']}"


def stop_while_waiting_for_token(stock: Stock) -> tuple[bool, str]:
    sfn, sqs = stock.clients("stepfunctions", "sqs")
    queue_url = sqs.create_queue(QueueName="tokens")["QueueUrl"]
    arn = machine(sfn, {"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": queue_url, "MessageBody": {"token.$": "$$.Task.Token"}},
        "TimeoutSeconds": 30,
        "End": True,
    }}})
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5)
    sfn.stop_execution(executionArn=execution)
    described = finished(sfn, execution, timeout=3)
    return described["status"] != "ABORTED", f"3 s after StopExecution the execution is {described['status']}"


def redrive_execution(stock: Stock) -> tuple[bool, str]:
    """A FAILED standard execution cannot be redriven: the action is missing."""
    (sfn,) = stock.clients("stepfunctions")
    arn = machine(sfn, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Outage"}}})
    execution = finished(sfn, sfn.start_execution(stateMachineArn=arn, name="failed")["executionArn"])
    try:
        sfn.redrive_execution(executionArn=execution["executionArn"])
    except ClientError as err:
        seen = f"{err.response['Error'].get('Code') or 'no code'}, HTTP {err.response['ResponseMetadata']['HTTPStatusCode']}"
        return True, f"RedriveExecution of a {execution['status']} execution -> {seen}; DescribeExecution redriveStatus {execution.get('redriveStatus')!r}"
    return False, "RedriveExecution accepted"


REPROS: dict[str, Callable[[Stock], tuple[bool, str]]] = {
    "error_codes": error_codes,
    "deepcopy": deepcopy,
    "default_execution_name": default_execution_name,
    "express_and_sync": express_and_sync,
    "eventbridge_target": eventbridge_target,
    "eventbridge_lambda_target": eventbridge_lambda_target,
    "sfn_start_execution_integration": sfn_start_execution_integration,
    "describe_execution_datetime": describe_execution_datetime,
    "mock_config": mock_config,
    "send_task_failure_cause": send_task_failure_cause,
    "singleton_array_path": singleton_array_path,
    "parallel_sibling_race": parallel_sibling_race,
    "map_sibling_race": map_sibling_race,
    "scheduled_rule_swallows_s3_events": scheduled_rule_swallows_s3_events,
    "aws_sdk_error_name": aws_sdk_error_name,
    "conditional_write_race": conditional_write_race,
    "execution_status_change_events": execution_status_change_events,
    "stop_while_waiting_for_token": stop_while_waiting_for_token,
    "redrive_execution": redrive_execution,
}


def main(argv: list[str]) -> int:
    names = argv[1:] or list(REPROS)
    stock = Stock()
    try:
        for name in names:
            try:
                reproduced, seen = REPROS[name](stock)
            except Exception as exc:  # noqa: BLE001 - report and go on
                reproduced, seen = False, f"repro itself failed: {type(exc).__name__}: {exc}"
            print(f"{'REPRODUCED' if reproduced else 'NOT REPRODUCED'} {name}: {seen}", flush=True)
    finally:
        stock.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
