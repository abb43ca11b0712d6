"""End-to-end checks of moto_launcher.py's patches, run by pytest (test_launcher.py).

A session starts the launcher on a free port (own process group, always killed
at the end); each `check_*` method of Checks proves one patch with boto3 and
returns what it saw. MOTO_LAUNCHER_SKIP_PATCHES=<patch> leaves a patch out, to
see its check fail.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = Path(__file__).resolve().parent
LAUNCHER = HERE / "moto_launcher.py"
REGION = "us-east-1"
ACCOUNT = "000000000000"  # what the local stack runs moto with (MOTO_ACCOUNT_ID)
ROLE = f"arn:aws:iam::{ACCOUNT}:role/local-sfn"
LAMBDA_MISSING = "arn:aws:lambda:us-east-1:000000000000:function:does-not-exist"
READY_TIMEOUT = 60
DEFAULT_TIMEOUT = 20


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, probe: Callable[[], Any], timeout: float = DEFAULT_TIMEOUT) -> Any:
    """Poll `probe` (short, growing intervals) until it returns a truthy value."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.25)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


class Launcher:
    def __init__(self, mock_config_path: str, front_port: int | None = None, extra_env: dict[str, str] | None = None):
        """`front_port`: where the engine and EventBridge call Lambda (the local
        stack's front); by default the launcher itself (MOTO_PORT unset).
        `extra_env`: settings the local stack gives it (LOCAL_IAM, LOCAL_FAULTS)."""
        self.port = free_port()
        env = dict(os.environ)
        env.pop("MOTO_PORT", None)  # the launcher must default it to --port
        env.pop("LOCAL_IAM", None)  # a bare launcher asks nobody about its calls
        env.pop("LOCAL_FAULTS", None)
        env.update(extra_env or {})
        if front_port is not None:
            env["MOTO_PORT"] = str(front_port)
        env["SFN_MOCK_CONFIG"] = mock_config_path
        env["MOTO_ACCOUNT_ID"] = ACCOUNT
        self.log = tempfile.NamedTemporaryFile(prefix="moto-launcher-", suffix=".log", delete=False)
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, str(LAUNCHER), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
            text=True,
            start_new_session=True,  # own process group
        )
        line = self._read_ready_line()
        self.startup_seconds = time.monotonic() - started
        expected = f"moto-launcher ready on http://127.0.0.1:{self.port}"
        if line.strip() != expected:
            raise RuntimeError(f"unexpected ready line {line!r} (log: {self.log.name})")

    def _read_ready_line(self) -> str:
        import selectors

        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=READY_TIMEOUT):
            raise RuntimeError(f"launcher not ready after {READY_TIMEOUT}s (log: {self.log.name})")
        return self.proc.stdout.readline()

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                return self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
                return None
            except ProcessLookupError:
                pass
        return self.proc.returncode


@contextmanager
def stand_in_server(respond: Callable[[Any, bytes], tuple[int, bytes]]) -> Iterator[int]:
    """An HTTP server on a free port, for a check's stand-ins (the stack's front, a
    billing provider): every POST is answered `respond(request, body)`, a status and
    a JSON body. Yields the port; shut down on leaving."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            status, answer = respond(self, self.rfile.read(int(self.headers.get("Content-Length", 0))))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()


def clients(port: int) -> dict[str, Any]:
    config = Config(
        inject_host_prefix=False,  # like the SDK v3 `disableHostPrefix: true`
        retries={"total_max_attempts": 1},
        read_timeout=60,
    )
    kwargs = dict(
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=config,
    )
    return {name: boto3.client(name, **kwargs) for name in ("stepfunctions", "events", "sqs", "dynamodb", "s3")}


# --------------------------------------------------------------------------- #
# the checks
# --------------------------------------------------------------------------- #
class Checks:
    def __init__(self, port: int, mock_config_path: Path):
        self.port = port
        c = clients(port)
        self.sfn = c["stepfunctions"]
        self.events = c["events"]
        self.sqs = c["sqs"]
        self.dynamodb = c["dynamodb"]
        self.s3 = c["s3"]
        self.mock_config_path = mock_config_path
        self.suffix = str(int(time.time() * 1000))[-6:]

    # -- helpers ----------------------------------------------------------- #
    def machine(self, name: str, definition: dict, sm_type: str = "STANDARD") -> str:
        return self.sfn.create_state_machine(
            name=f"{name}-{self.suffix}",
            definition=json.dumps(definition),
            roleArn=ROLE,
            type=sm_type,
        )["stateMachineArn"]

    def finished(self, execution_arn: str, timeout: float = DEFAULT_TIMEOUT) -> dict:
        def probe():
            described = self.sfn.describe_execution(executionArn=execution_arn)
            return described if described["status"] != "RUNNING" else None

        return wait_for(f"{execution_arn} to finish", probe, timeout)

    def history(self, execution_arn: str) -> list[dict]:
        return self.sfn.get_execution_history(executionArn=execution_arn)["events"]

    def table_keyed_by(self, prefix: str, key: str = "id") -> str:
        """A table whose only key is the string `key`."""
        table = f"{prefix}-{self.suffix}"
        self.dynamodb.create_table(TableName=table, AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}], KeySchema=[{"AttributeName": key, "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
        return table

    def table_keyed_by_id_with_alt_index(self, prefix: str) -> str:
        """A table keyed by `id`, with a `by-alt` index on `alt` (projecting everything)."""
        table = f"{prefix}-{self.suffix}"
        self.dynamodb.create_table(
            TableName=table,
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "alt", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            GlobalSecondaryIndexes=[{"IndexName": "by-alt", "KeySchema": [{"AttributeName": "alt", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}],
            BillingMode="PAY_PER_REQUEST",
        )
        return table

    def write_mock_config(self, config: dict) -> None:
        tmp = self.mock_config_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(config))
        tmp.replace(self.mock_config_path)

    # -- 12: scheduled rules match no events ------------------------------ #
    def check_s3_event_past_scheduled_rule(self) -> str:
        """An upload's Object Created reaches its rule on the default bus even
        when a scheduled rule with a Lambda target was created before it."""
        self.events.put_rule(Name=f"every-15-minutes-{self.suffix}", ScheduleExpression="rate(15 minutes)")
        self.events.put_targets(
            Rule=f"every-15-minutes-{self.suffix}",
            Targets=[{"Id": "fn", "Arn": f"arn:aws:lambda:{REGION}:000000000000:function:reconcile"}],
        )
        bucket = f"uploads-{self.suffix}"
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}})
        queue_url = self.sqs.create_queue(QueueName=f"uploads-{self.suffix}")["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.events.put_rule(
            Name=f"object-created-{self.suffix}",
            EventPattern=json.dumps({"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": [bucket]}}}),
        )
        self.events.put_targets(Rule=f"object-created-{self.suffix}", Targets=[{"Id": "queue", "Arn": queue_arn}])
        self.s3.put_object(Bucket=bucket, Key="uploads/doc-1", Body=b"%PDF-1.7")
        messages = wait_for(
            "the Object Created event in the queue",
            lambda: self.sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get("Messages"),
            timeout=10,
        )
        event = json.loads(messages[0]["Body"])
        expect(event["detail"]["object"]["key"] == "uploads/doc-1", f"unexpected event: {event}")
        return f"{event['detail-type']} for s3://{bucket}/{event['detail']['object']['key']} delivered past the scheduled rule"

    def check_aws_sdk_error_name(self) -> str:
        """An aws-sdk Task's service error reaches Catch under AWS's PascalCase name."""
        bucket = f"aws-sdk-errors-{self.suffix}"
        self.s3.create_bucket(Bucket=bucket)
        arn = self.machine(
            "aws-sdk-error",
            {
                "StartAt": "Get",
                "States": {
                    "Get": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                        "Parameters": {"Bucket": bucket, "Key": "missing"},
                        "Catch": [{"ErrorEquals": ["S3.NoSuchKeyException"], "Next": "Missing"}],
                        "End": True,
                    },
                    "Missing": {"Type": "Succeed"},
                },
            },
        )
        execution = self.finished(self.sfn.start_execution(stateMachineArn=arn)["executionArn"])
        failed = [e for e in self.history(execution["executionArn"]) if e["type"] == "TaskFailed"]
        error = failed[0]["taskFailedEventDetails"]["error"] if failed else None
        expect(execution["status"] == "SUCCEEDED" and error == "S3.NoSuchKeyException", f"status {execution['status']}, error {error}")
        return f"{error} caught"

    # -- 1/2/3: execution on, repeated starts, default names -------------- #
    def check_unnamed_executions(self) -> str:
        arn = self.machine(
            "unnamed",
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}},
        )
        first = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        second = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        names = {first.rsplit(":", 1)[1], second.rsplit(":", 1)[1]}
        expect(len(names) == 2 and "None" not in names, f"names not distinct/uuid: {names}")
        for execution_arn in (first, second):
            described = self.finished(execution_arn)
            expect(described["status"] == "SUCCEEDED", f"status {described['status']}")
            expect(json.loads(described["output"]) == {"ok": True}, described.get("output"))
        listed = self.sfn.list_executions(stateMachineArn=arn)["executions"]
        expect(len(listed) == 2, f"ListExecutions returned {len(listed)}")
        return f"2 executions, names {sorted(n[:8] for n in names)}"

    def check_concurrent_starts(self) -> str:
        from concurrent.futures import ThreadPoolExecutor

        arn = self.machine(
            "concurrent",
            {
                "StartAt": "Check",
                "States": {
                    "Check": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$.i", "NumericGreaterThanEquals": 10, "Next": "Big"}],
                        "Default": "Small",
                    },
                    "Big": {"Type": "Pass", "Result": "big", "ResultPath": "$.size", "End": True},
                    "Small": {"Type": "Pass", "Result": "small", "ResultPath": "$.size", "End": True},
                },
            },
        )
        with ThreadPoolExecutor(max_workers=8) as pool:
            arns = list(
                pool.map(
                    lambda i: self.sfn.start_execution(stateMachineArn=arn, input=json.dumps({"i": i}))["executionArn"],
                    range(40),
                )
            )
        expect(len(set(arns)) == 40, "duplicate execution ARNs")
        outputs = [json.loads(self.finished(a)["output"]) for a in arns]
        expect(all(o["size"] == ("big" if o["i"] >= 10 else "small") for o in outputs), "wrong outputs")
        return "40 unnamed executions from 8 threads, all SUCCEEDED"

    def check_error_codes(self) -> str:
        arn = self.machine("errors", {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
        codes = []
        for call in (
            lambda: self.sfn.start_execution(stateMachineArn=arn, input="{not json"),
            lambda: self.sfn.create_state_machine(name=f"bad-{self.suffix}", definition="{}", roleArn=ROLE),
        ):
            try:
                call()
                raise AssertionError("call succeeded")
            except ClientError as err:
                codes.append(err.response["Error"]["Code"])
        expect(codes == ["InvalidExecutionInput", "InvalidDefinition"], f"codes {codes}")
        return ", ".join(codes)

    # -- 5: EXPRESS + StartSyncExecution ---------------------------------- #
    def check_express_sync_success(self) -> str:
        arn = self.machine(
            "express-ok",
            {
                "StartAt": "Double",
                "States": {
                    "Double": {
                        "Type": "Pass",
                        "Parameters": {"value.$": "States.MathAdd($.n, $.n)", "greeting": "hi"},
                        "End": True,
                    }
                },
            },
            "EXPRESS",
        )
        expect(self.sfn.describe_state_machine(stateMachineArn=arn)["type"] == "EXPRESS", "type not EXPRESS")
        res = self.sfn.start_sync_execution(stateMachineArn=arn, input=json.dumps({"n": 21}), name="sync-ok")
        expect(res["status"] == "SUCCEEDED", f"status {res['status']}")
        expect(json.loads(res["output"]) == {"value": 42, "greeting": "hi"}, res.get("output"))
        for key in ("executionArn", "stateMachineArn", "name", "startDate", "stopDate", "input", "billingDetails"):
            expect(key in res, f"missing {key} in StartSyncExecution output")
        expect(res["stateMachineArn"] == arn and res["name"] == "sync-ok", "wrong arn/name")
        # the execution is visible through the usual APIs
        listed = self.sfn.list_executions(stateMachineArn=arn)["executions"]
        expect([e["executionArn"] for e in listed] == [res["executionArn"]], "not in ListExecutions")
        described = self.sfn.describe_execution(executionArn=res["executionArn"])
        expect(described["status"] == "SUCCEEDED", "DescribeExecution status")
        events = [e["type"] for e in self.history(res["executionArn"])]
        expect(events[0] == "ExecutionStarted" and events[-1] == "ExecutionSucceeded", f"history {events}")
        return f"output {res['output']}, billed {res['billingDetails']['billedDurationInMilliseconds']} ms"

    def check_express_sync_failure(self) -> str:
        arn = self.machine(
            "express-fail",
            {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "it broke"}}},
            "EXPRESS",
        )
        res = self.sfn.start_sync_execution(stateMachineArn=arn, input="{}")
        expect(res["status"] == "FAILED", f"status {res['status']}")
        expect(res.get("error") == "Boom" and res.get("cause") == "it broke", f"error/cause {res}")
        expect("output" not in res, "failed execution has output")
        return "status FAILED, error Boom, cause 'it broke'"

    def check_standard_refuses_sync(self) -> str:
        arn = self.machine(
            "standard-nosync",
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        )
        try:
            self.sfn.start_sync_execution(stateMachineArn=arn, input="{}")
        except ClientError as err:
            code = err.response["Error"]["Code"]
            status = err.response["ResponseMetadata"]["HTTPStatusCode"]
            expect(code == "StateMachineTypeNotSupported" and status == 400, f"{code} {status}")
            return f"{code} ({status})"
        raise AssertionError("StartSyncExecution on a STANDARD machine succeeded")

    # -- 6: EventBridge -> state machine ----------------------------------- #
    def check_eventbridge_target(self) -> str:
        echo = {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}}
        full_arn = self.machine("eb-full", echo)
        detail_arn = self.machine("eb-detail", echo)
        transformed_arn = self.machine("eb-transformed", echo)
        queue_url = self.sqs.create_queue(QueueName=f"eb-{self.suffix}")["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        bus = f"orders-{self.suffix}"
        self.events.create_event_bus(Name=bus)
        self.events.put_rule(
            Name="order-placed",
            EventBusName=bus,
            EventPattern=json.dumps({"source": ["shop.orders"], "detail-type": ["OrderPlaced"]}),
        )
        self.events.put_targets(
            Rule="order-placed",
            EventBusName=bus,
            Targets=[
                {"Id": "full", "Arn": full_arn, "RoleArn": ROLE},
                {"Id": "detail", "Arn": detail_arn, "RoleArn": ROLE, "InputPath": "$.detail"},
                {
                    "Id": "transformed",
                    "Arn": transformed_arn,
                    "RoleArn": ROLE,
                    "InputTransformer": {
                        "InputPathsMap": {"order": "$.detail.orderId", "type": "$.detail-type"},
                        "InputTemplate": '{"order": "<order>", "type": "<type>"}',
                    },
                },
                {"Id": "queue", "Arn": queue_arn},
            ],
        )
        result = self.events.put_events(
            Entries=[
                {  # does not match the rule
                    "EventBusName": bus,
                    "Source": "shop.orders",
                    "DetailType": "OrderCancelled",
                    "Detail": json.dumps({"orderId": "o-0"}),
                },
                {
                    "EventBusName": bus,
                    "Source": "shop.orders",
                    "DetailType": "OrderPlaced",
                    "Detail": json.dumps({"orderId": "o-1", "total": 12.5}),
                    "Resources": ["arn:aws:shop:::order/o-1"],
                },
            ]
        )
        expect(result["FailedEntryCount"] == 0, f"PutEvents failed: {result}")

        def one_execution(arn):
            return lambda: self.sfn.list_executions(stateMachineArn=arn)["executions"]

        full_exec = wait_for("EventBridge execution", one_execution(full_arn))
        expect(len(full_exec) == 1, f"{len(full_exec)} executions (non-matching event delivered?)")
        described = self.finished(full_exec[0]["executionArn"])
        event = json.loads(described["input"])
        required = {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}
        expect(required <= set(event), f"event keys {sorted(event)}")
        expect(isinstance(event["detail"], dict) and event["detail"]["orderId"] == "o-1", f"detail {event['detail']!r}")
        expect(event["detail-type"] == "OrderPlaced" and event["source"] == "shop.orders", "detail-type/source")
        expect(event["resources"] == ["arn:aws:shop:::order/o-1"], f"resources {event['resources']}")
        expect(event["id"] == result["Entries"][1]["EventId"], "event id differs from PutEvents EventId")
        expect(event["region"] == REGION and event["account"] == ACCOUNT, "region/account")
        expect(isinstance(event["time"], str) and event["time"].endswith("Z"), f"time {event['time']!r}")

        detail_exec = wait_for("InputPath execution", one_execution(detail_arn))
        detail_input = json.loads(self.finished(detail_exec[0]["executionArn"])["input"])
        expect(detail_input == {"orderId": "o-1", "total": 12.5}, f"InputPath input {detail_input}")
        transformed_exec = wait_for("InputTransformer execution", one_execution(transformed_arn))
        transformed_input = json.loads(self.finished(transformed_exec[0]["executionArn"])["input"])
        expect(transformed_input == {"order": "o-1", "type": "OrderPlaced"}, f"InputTransformer input {transformed_input}")

        messages = wait_for(
            "SQS delivery",
            lambda: self.sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0).get("Messages"),
        )
        expect(json.loads(messages[0]["Body"])["detail"]["orderId"] == "o-1", "SQS target body")
        return "AWS-shaped event delivered; InputPath, InputTransformer and SQS targets too"

    # -- 6: EventBridge -> Lambda ------------------------------------------ #
    def check_eventbridge_lambda_target(self) -> str:
        """A rule's Lambda target is invoked asynchronously at MOTO_PORT (the
        stack's front) with the AWS-shaped event; PutEvents does not fail. A
        launcher of its own, whose MOTO_PORT is a recorder standing in for the front."""
        invocations: list[dict] = []

        def record(request: Any, body: bytes) -> tuple[int, bytes]:
            invocations.append({"path": request.path, "type": request.headers.get("X-Amz-Invocation-Type"), "event": json.loads(body)})
            return 202, b""

        with stand_in_server(record) as front_port:
            launcher = Launcher(str(self.mock_config_path), front_port=front_port)
            try:
                events = clients(launcher.port)["events"]
                function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:restock-listener"
                events.create_event_bus(Name="orders")
                events.put_rule(
                    Name="inventory-restocked",
                    EventBusName="orders",
                    EventPattern=json.dumps({"source": ["shop.inventory"], "detail-type": ["InventoryRestocked"]}),
                )
                events.put_targets(Rule="inventory-restocked", EventBusName="orders", Targets=[{"Id": "fn", "Arn": function_arn}])
                result = events.put_events(
                    Entries=[
                        {"EventBusName": "orders", "Source": "shop.inventory", "DetailType": "StockCounted", "Detail": json.dumps({"sku": "A"})},
                        {"EventBusName": "orders", "Source": "shop.inventory", "DetailType": "InventoryRestocked", "Detail": json.dumps({"sku": "B", "quantity": 2})},
                    ]
                )
                expect(result["FailedEntryCount"] == 0, f"PutEvents failed: {result}")
                wait_for("the Lambda invocation", lambda: invocations)
            finally:
                launcher.stop()
        (call,) = invocations  # the non-matching entry came first and was not delivered
        expect(call["path"] == f"/2015-03-31/functions/{function_arn.replace(':', '%3A')}/invocations", f"path {call['path']}")
        expect(call["type"] == "Event", f"invocation type {call['type']!r}, not asynchronous")
        event = call["event"]
        expect(event["detail"] == {"sku": "B", "quantity": 2} and event["detail-type"] == "InventoryRestocked", f"event {event}")
        expect(event["id"] == result["Entries"][1]["EventId"] and event["time"].endswith("Z"), f"event id/time {event}")
        return "InventoryRestocked invoked the function asynchronously at MOTO_PORT with the AWS-shaped event"

    # -- 14: DynamoDB conditional writes are atomic ------------------------ #
    def check_conditional_writes_atomic(self) -> str:
        """Eight clients at once take the last unit with a conditional update,
        twenty times over: exactly one may succeed each time, and no update is
        lost. The update sets a few more attributes, as ours do (status,
        timestamps): the time moto spends on them, between its condition check
        and its write, let two writers in on most rounds before the fix."""
        table = self.table_keyed_by("stock", "sku")
        racers = [clients(self.port)["dynamodb"] for _ in range(8)]
        update = "SET stock = stock - :one, takers = takers + :one, " + ", ".join(f"note{i} = :one" for i in range(10))
        oversold = []
        for round_ in range(20):
            self.dynamodb.put_item(TableName=table, Item={"sku": {"S": "A"}, "stock": {"N": "1"}, "takers": {"N": "0"}})
            taken: list[int] = []
            start = threading.Barrier(len(racers))

            def take(client: Any) -> None:
                start.wait()
                try:
                    client.update_item(
                        TableName=table,
                        Key={"sku": {"S": "A"}},
                        UpdateExpression=update,
                        ConditionExpression="stock >= :one",
                        ExpressionAttributeValues={":one": {"N": "1"}},
                    )
                    taken.append(1)
                except ClientError as err:
                    if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                        raise

            threads = [threading.Thread(target=take, args=(client,)) for client in racers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            item = self.dynamodb.get_item(TableName=table, Key={"sku": {"S": "A"}}, ConsistentRead=True)["Item"]
            if len(taken) != 1 or item["stock"]["N"] != "0" or item["takers"]["N"] != "1":
                oversold.append(f"round {round_}: {len(taken)} succeeded, stock {item['stock']['N']}, takers {item['takers']['N']}")
        expect(not oversold, f"{len(oversold)} of 20 rounds oversold: " + "; ".join(oversold[:3]))
        return "20 rounds of 8 concurrent conditional updates on the last unit: exactly one won each"

    # -- 7: states:startExecution(.sync, .sync:2) -------------------------- #
    def check_start_execution_integration(self) -> str:
        child = self.machine(
            "child",
            {
                "StartAt": "Work",
                "States": {
                    "Work": {
                        "Type": "Pass",
                        "Parameters": {"doubled.$": "States.MathAdd($.x, $.x)", "from": "child"},
                        "End": True,
                    }
                },
            },
        )

        def parent_definition(resource: str, result_selector: dict | None = None) -> dict:
            task = {
                "Type": "Task",
                "Resource": resource,
                "Parameters": {"StateMachineArn": child, "Input": {"x.$": "$.x"}},
                "End": True,
            }
            if result_selector:
                task["ResultSelector"] = result_selector
            return {"StartAt": "RunChild", "States": {"RunChild": task}}

        sync2 = self.machine(
            "parent-sync2",
            parent_definition("arn:aws:states:::states:startExecution.sync:2", {"child.$": "$.Output", "status.$": "$.Status"}),
        )
        sync1 = self.machine("parent-sync", parent_definition("arn:aws:states:::states:startExecution.sync"))
        fire = self.machine("parent-fire", parent_definition("arn:aws:states:::states:startExecution"))

        out2 = self.finished(self.sfn.start_execution(stateMachineArn=sync2, input='{"x": 4}')["executionArn"])
        expect(out2["status"] == "SUCCEEDED", f".sync:2 parent {out2['status']}: {out2.get('error')} {out2.get('cause')}")
        expect(
            json.loads(out2["output"]) == {"child": {"doubled": 8, "from": "child"}, "status": "SUCCEEDED"},
            f".sync:2 output {out2['output']}",
        )
        out1 = self.finished(self.sfn.start_execution(stateMachineArn=sync1, input='{"x": 5}')["executionArn"])
        expect(out1["status"] == "SUCCEEDED", f".sync parent {out1['status']}: {out1.get('error')} {out1.get('cause')}")
        body1 = json.loads(out1["output"])
        expect(json.loads(body1["Output"]) == {"doubled": 10, "from": "child"}, f".sync output {body1}")
        expect(body1["Status"] == "SUCCEEDED" and body1["ExecutionArn"].startswith("arn:aws:states:"), ".sync fields")
        out0 = self.finished(self.sfn.start_execution(stateMachineArn=fire, input='{"x": 1}')["executionArn"])
        expect(out0["status"] == "SUCCEEDED", f"startExecution parent {out0['status']}: {out0.get('cause')}")
        body0 = json.loads(out0["output"])
        expect("ExecutionArn" in body0 and "StartDate" in body0, f"startExecution output {body0}")
        return f".sync:2 -> {out2['output']}; .sync Output {body1['Output']}; plain -> ExecutionArn"

    def check_datetime_output(self) -> str:
        table = self.table_keyed_by("dates")
        arn = self.machine(
            "describe-table",
            {
                "StartAt": "Describe",
                "States": {
                    "Describe": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::aws-sdk:dynamodb:describeTable",
                        "Parameters": {"TableName": table},
                        "End": True,
                    }
                },
            },
        )
        described = self.finished(self.sfn.start_execution(stateMachineArn=arn)["executionArn"])
        expect(described["status"] == "SUCCEEDED", f"status {described['status']}: {described.get('cause')}")
        created = json.loads(described["output"])["Table"]["CreationDateTime"]
        expect(isinstance(created, str) and created[:2] == "20", f"CreationDateTime {created!r}")
        return f"DescribeExecution output with a datetime: CreationDateTime {created}"

    # -- 8: mock configs --------------------------------------------------- #
    def _mocked_machine(self, sm_type: str = "STANDARD", name: str = "checkout") -> str:
        return self.machine(
            name,
            {
                "StartAt": "Charge",
                "States": {
                    "Charge": {
                        "Type": "Task",
                        "Resource": LAMBDA_MISSING,
                        "ResultPath": "$.charge",
                        "Catch": [{"ErrorEquals": ["PaymentDeclined"], "ResultPath": "$.error", "Next": "Declined"}],
                        "Next": "Save",
                    },
                    "Save": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::dynamodb:putItem",
                        "Parameters": {
                            "TableName": "orders-that-do-not-exist",
                            "Item": {"id": {"S.$": "$.orderId"}},
                        },
                        "ResultSelector": {"code.$": "$.SdkHttpMetadata.HttpStatusCode"},
                        "ResultPath": "$.save",
                        "Catch": [
                            {"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "ResultPath": "$.error", "Next": "Exists"}
                        ],
                        "End": True,
                    },
                    "Declined": {"Type": "Pass", "Result": "declined", "ResultPath": "$.outcome", "End": True},
                    "Exists": {"Type": "Pass", "Result": "exists", "ResultPath": "$.outcome", "End": True},
                },
            },
            sm_type,
        )

    def _mock_config(self, names: list[str], charged_amount: int = 42) -> dict:
        cases = {
            "HappyPath": {"Charge": "ChargeOK", "Save": "SaveOK"},
            "Declined": {"Charge": "ChargeDeclined"},
            "SaveConflict": {"Charge": "ChargeOK", "Save": "SaveConflict"},
        }
        return {
            "StateMachines": {
                **{name: {"TestCases": cases} for name in names},
                f"flaky-{self.suffix}": {"TestCases": {"RetryTwice": {"Call": "FlakyThenOK"}}},
                f"selector-{self.suffix}": {"TestCases": {"Array": {"Call": "ArrayPayload"}}},
            },
            "MockedResponses": {
                "ChargeOK": {"0": {"Return": {"StatusCode": 200, "Payload": {"charged": True, "amount": charged_amount}}}},
                "ChargeDeclined": {"0": {"Throw": {"Error": "PaymentDeclined", "Cause": "card refused"}}},
                "SaveOK": {"0": {"Return": {"SdkHttpMetadata": {"HttpStatusCode": 200}}}},
                "SaveConflict": {"0": {"Throw": {"Error": "DynamoDB.ConditionalCheckFailedException", "Cause": "exists"}}},
                "FlakyThenOK": {
                    "0-1": {"Throw": {"Error": "Flaky", "Cause": "try again"}},
                    "2": {"Return": {"StatusCode": 200, "Payload": {"attempt": 3}}},
                },
                "ArrayPayload": {"0": {"Return": {"StatusCode": 200, "Payload": [{"x": 5}, {"x": 6}]}}},
            },
        }

    def check_mock_config_return(self) -> str:
        arn = self._mocked_machine()
        name = arn.rsplit(":", 1)[1]
        self.write_mock_config(self._mock_config([name]))
        started = self.sfn.start_execution(stateMachineArn=f"{arn}#HappyPath", input='{"orderId": "o-9"}')
        described = self.finished(started["executionArn"])
        expect(described["status"] == "SUCCEEDED", f"status {described['status']}: {described.get('cause')}")
        expect(described["stateMachineArn"] == arn, f"stateMachineArn {described['stateMachineArn']}")
        output = json.loads(described["output"])
        expect(output["charge"] == {"charged": True, "amount": 42}, f"charge {output.get('charge')}")
        expect(output["save"] == {"code": 200}, f"save {output.get('save')}")
        listed = self.sfn.list_executions(stateMachineArn=arn)["executions"]
        expect(listed and listed[0]["stateMachineArn"] == arn, "ListExecutions stateMachineArn")
        expect(len(self.history(started["executionArn"])) > 4, "history")

        # the file is re-read on every start
        self.write_mock_config(self._mock_config([name], charged_amount=99))
        again = self.finished(
            self.sfn.start_execution(stateMachineArn=f"{arn}#HappyPath", input='{"orderId": "o-10"}')["executionArn"]
        )
        expect(json.loads(again["output"])["charge"]["amount"] == 99, "edited mock config not re-read")

        try:
            self.sfn.start_execution(stateMachineArn=f"{arn}#NoSuchCase", input="{}")
            raise AssertionError("unknown test case accepted")
        except ClientError as err:
            expect(err.response["Error"]["Code"] == "InvalidName", f"unknown case -> {err.response['Error']}")
        return f"Lambda+DynamoDB mocked: {described['output']}; edits re-read; unknown case -> InvalidName"

    def check_mock_config_throw_catch(self) -> str:
        arn = self._mocked_machine(name="checkout-throw")
        name = arn.rsplit(":", 1)[1]
        self.write_mock_config(self._mock_config([name]))
        described = self.finished(
            self.sfn.start_execution(stateMachineArn=f"{arn}#Declined", input='{"orderId": "o-2"}')["executionArn"]
        )
        expect(described["status"] == "SUCCEEDED", f"status {described['status']}: {described.get('cause')}")
        output = json.loads(described["output"])
        expect(output.get("outcome") == "declined", f"Catch not taken: {output}")
        expect(output["error"] == {"Error": "PaymentDeclined", "Cause": "card refused"}, f"error {output['error']}")
        return f"PaymentDeclined caught -> {output['outcome']}"

    def check_mock_service_error_kept(self) -> str:
        arn = self._mocked_machine(name="checkout-conflict")
        name = arn.rsplit(":", 1)[1]
        self.write_mock_config(self._mock_config([name]))
        described = self.finished(
            self.sfn.start_execution(stateMachineArn=f"{arn}#SaveConflict", input='{"orderId": "o-4"}')["executionArn"]
        )
        expect(described["status"] == "SUCCEEDED", f"status {described['status']}: {described.get('cause')}")
        output = json.loads(described["output"])
        expect(output.get("outcome") == "exists", f"specific Catch not taken: {output.get('error')}")
        return f"mocked DynamoDB Throw kept its name: {output['error']['Error']}"

    def check_mock_config_sync_express(self) -> str:
        arn = self._mocked_machine("EXPRESS", name="checkout-express")
        name = arn.rsplit(":", 1)[1]
        self.write_mock_config(self._mock_config([name]))
        res = self.sfn.start_sync_execution(stateMachineArn=f"{arn}#HappyPath", input='{"orderId": "o-3"}')
        expect(res["status"] == "SUCCEEDED", f"status {res['status']}: {res.get('cause')}")
        expect(res["stateMachineArn"] == arn, f"stateMachineArn {res['stateMachineArn']}")
        expect(json.loads(res["output"])["charge"]["amount"] == 42, res.get("output"))
        return "StartSyncExecution with #HappyPath returned the mocked values"

    def check_mock_retry_attempts(self) -> str:
        arn = self.machine(
            "flaky",
            {
                "StartAt": "Call",
                "States": {
                    "Call": {
                        "Type": "Task",
                        "Resource": LAMBDA_MISSING,
                        "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 1.0}],
                        "End": True,
                    }
                },
            },
        )
        name = arn.rsplit(":", 1)[1]
        expect(name == f"flaky-{self.suffix}", name)  # the name the mock config uses
        self.write_mock_config(self._mock_config([]))
        execution_arn = self.sfn.start_execution(stateMachineArn=f"{arn}#RetryTwice", input="{}")["executionArn"]
        described = self.finished(execution_arn, timeout=30)
        expect(described["status"] == "SUCCEEDED", f"status {described['status']}: {described.get('cause')}")
        expect(json.loads(described["output"]) == {"attempt": 3}, described.get("output"))
        types = [e["type"] for e in self.history(execution_arn)]
        failed = sum(t in ("TaskFailed", "LambdaFunctionFailed") for t in types)
        succeeded = sum(t in ("TaskSucceeded", "LambdaFunctionSucceeded") for t in types)
        scheduled = sum(t in ("TaskScheduled", "LambdaFunctionScheduled") for t in types)
        expect(
            failed == 2 and succeeded == 1 and scheduled == 3,
            f"failed={failed} succeeded={succeeded} scheduled={scheduled} history={types}",
        )
        return f"3 attempts: {scheduled} scheduled, {failed} failed ({sorted({t for t in types if 'Failed' in t})}), {succeeded} succeeded"

    def check_mock_states_timeout(self) -> str:
        queue_url = self.sqs.create_queue(QueueName=f"approvals-{self.suffix}")["QueueUrl"]
        arn = self.machine(
            "wait-for-approver",
            {
                "StartAt": "Ask",
                "States": {
                    "Ask": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                        "Parameters": {"QueueUrl": queue_url, "MessageBody": {"token.$": "$$.Task.Token"}},
                        "TimeoutSeconds": 600,
                        "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Expired"}],
                        "End": True,
                    },
                    "Expired": {"Type": "Pass", "Result": "expired", "ResultPath": "$.outcome", "End": True},
                },
            },
        )
        name = arn.rsplit(":", 1)[1]
        self.write_mock_config({
            "StateMachines": {name: {"TestCases": {"NobodyAnswers": {"Ask": "TimedOut"}}}},
            "MockedResponses": {"TimedOut": {"0": {"Throw": {"Error": "States.Timeout", "Cause": "no answer"}}}},
        })
        described = self.finished(self.sfn.start_execution(stateMachineArn=f"{arn}#NobodyAnswers", input="{}")["executionArn"])
        expect(described["status"] == "SUCCEEDED", f"status {described['status']}: {described.get('cause')}")
        output = json.loads(described["output"])
        expect(output.get("outcome") == "expired", f"States.Timeout Catch not taken: {output}")
        return f"mocked States.Timeout caught: {output['error']['Error']}"

    # -- 9: SendTaskFailure cause, ResultSelector $[0].x ------------------- #
    def check_send_task_failure(self) -> str:
        queue_url = self.sqs.create_queue(QueueName=f"tokens-{self.suffix}")["QueueUrl"]
        arn = self.machine(
            "approval",
            {
                "StartAt": "AskApproval",
                "States": {
                    "AskApproval": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                        "Parameters": {
                            "QueueUrl": queue_url,
                            "MessageBody": {"token.$": "$$.Task.Token", "orderId.$": "$.orderId"},
                        },
                        "End": True,
                    }
                },
            },
        )
        execution_arn = self.sfn.start_execution(stateMachineArn=arn, input='{"orderId": "o-7"}')["executionArn"]
        messages = wait_for(
            "task token message",
            lambda: self.sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0).get("Messages"),
        )
        body = json.loads(messages[0]["Body"])
        expect(body["orderId"] == "o-7" and body["token"], f"message {body}")
        self.sfn.send_task_failure(taskToken=body["token"], error="ApprovalRejected", cause="manager said no")
        described = self.finished(execution_arn)
        expect(described["status"] == "FAILED", f"status {described['status']}")
        expect(
            described.get("error") == "ApprovalRejected" and described.get("cause") == "manager said no",
            f"error/cause {described.get('error')!r} {described.get('cause')!r}",
        )
        failed_events = [e for e in self.history(execution_arn) if e["type"] == "TaskFailed"]
        expect(
            failed_events and failed_events[0]["taskFailedEventDetails"].get("cause") == "manager said no",
            f"TaskFailed event {failed_events}",
        )
        return "error ApprovalRejected, cause 'manager said no' (execution + TaskFailed event)"

    def check_result_selector_index(self) -> str:
        arn = self.machine(
            "selector",
            {
                "StartAt": "Call",
                "States": {
                    "Call": {
                        "Type": "Task",
                        "Resource": LAMBDA_MISSING,
                        "ResultSelector": {
                            "first.$": "$[0].x",
                            "second.$": "$[1]",
                            "all.$": "$[*].x",
                            "filtered.$": "$[?(@.x == 5)].x",
                        },
                        "End": True,
                    }
                },
            },
        )
        self.write_mock_config(self._mock_config([]))
        described = self.finished(self.sfn.start_execution(stateMachineArn=f"{arn}#Array", input="{}")["executionArn"])
        expect(described["status"] == "SUCCEEDED", f"status {described['status']}: {described.get('cause')}")
        output = json.loads(described["output"])
        expected = {"first": 5, "second": {"x": 6}, "all": [5, 6], "filtered": [5]}
        expect(output == expected, f"got {output}, expected {expected}")
        return f"{output}"

    # -- 10: clients and programs shared between executions ---------------- #
    def check_shared_engine_clients(self) -> str:
        table = self.table_keyed_by("shared-clients")
        arn = self.machine(
            "shared-clients",
            {
                "StartAt": "Put",
                "States": {
                    "Put": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::dynamodb:putItem",
                        "Parameters": {"TableName": table, "Item": {"id": {"S.$": "$.id"}}},
                        "End": True,
                    }
                },
            },
        )
        arns = [self.sfn.start_execution(stateMachineArn=arn, input=json.dumps({"id": f"item-{i}"}))["executionArn"] for i in range(4)]
        statuses = [self.finished(execution_arn)["status"] for execution_arn in arns]
        expect(statuses == ["SUCCEEDED"] * 4, f"statuses {statuses}")
        count = self.dynamodb.scan(TableName=table, Select="COUNT")["Count"]
        expect(count == 4, f"{count} items written, expected 4")
        return "4 concurrent executions, one DynamoDB client: 4 items written"

    def check_attribute_values_round_trip(self) -> str:
        """serialize_attribute_values_directly writes items out without the shape
        walk: every attribute type, nested, must come back from every read as it
        was written (binaries base64-encoded once, as boto3 decodes them)."""
        table = self.table_keyed_by_id_with_alt_index("attribute-values")
        item = {
            "id": {"S": "every-type"},
            "alt": {"S": "alt-1"},
            "text": {"S": "héllo"},
            "number": {"N": "12.50"},
            "binary": {"B": b"\x00\xffbytes"},
            "texts": {"SS": ["a", "b"]},
            "numbers": {"NS": ["1", "2.5"]},
            "binaries": {"BS": [b"\x01", b"\x02\x03"]},
            "nothing": {"NULL": True},
            "flag": {"BOOL": False},
            "nested": {"M": {"list": {"L": [{"B": b"\xfe"}, {"M": {}}, {"L": []}, {"N": "0"}, {"M": {"deep": {"SS": ["x"]}}}]}}},
        }
        self.dynamodb.put_item(TableName=table, Item=item)

        def normalised(attributes: dict) -> str:
            return json.dumps(attributes, sort_keys=True, default=lambda value: value.hex(), ensure_ascii=False)

        def sets_sorted(attributes: dict) -> dict:
            return json.loads(json.dumps(attributes, default=lambda value: value.hex()), object_hook=lambda d: {k: sorted(v) if k in ("SS", "NS", "BS") else v for k, v in d.items()})

        expected = sets_sorted(item)
        answers = {
            "GetItem": self.dynamodb.get_item(TableName=table, Key={"id": {"S": "every-type"}}, ConsistentRead=True)["Item"],
            "Query": self.dynamodb.query(TableName=table, IndexName="by-alt", KeyConditionExpression="alt = :alt", ExpressionAttributeValues={":alt": {"S": "alt-1"}})["Items"][0],
            "Scan": self.dynamodb.scan(TableName=table)["Items"][0],
            "BatchGetItem": self.dynamodb.batch_get_item(RequestItems={table: {"Keys": [{"id": {"S": "every-type"}}], "ConsistentRead": True}})["Responses"][table][0],
            "TransactGetItems": self.dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": {"id": {"S": "every-type"}}}}])["Responses"][0]["Item"],
            "UpdateItem ALL_OLD": self.dynamodb.update_item(TableName=table, Key={"id": {"S": "every-type"}}, UpdateExpression="SET touched = :yes", ExpressionAttributeValues={":yes": {"BOOL": True}}, ReturnValues="ALL_OLD")["Attributes"],
        }
        wrong = [name for name, answer in answers.items() if normalised(sets_sorted(answer)) != normalised(expected)]
        expect(not wrong, f"{wrong} answered {[answers[name] for name in wrong][:1]}, expected {item}")
        return f"every attribute type, nested, read back unchanged through {', '.join(answers)}"

    def check_connections_kept_alive(self) -> str:
        """keep_alive_request_handler: one connection carries request after
        request whatever the body (a length, chunks, none) and whether the
        application reads it, and every answer arrives whole (a HEAD's
        without its body)."""
        import http.client

        bucket = f"keep-alive-{self.suffix}"
        self.s3.create_bucket(Bucket=bucket)

        def signed_for(service: str) -> dict:
            return {"Authorization": f"AWS4-HMAC-SHA256 Credential=testing/20260101/{REGION}/{service}/aws4_request, SignedHeaders=host, Signature=0"}

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sockets: list = []
        closing: list[str] = []

        def send(method: str, path: str, body: Any = None, headers: dict | None = None) -> tuple[int, bytes]:
            chunked = body is not None and not isinstance(body, bytes)
            connection.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
            response = connection.getresponse()
            payload = response.read()
            sockets.append(connection.sock)
            if (response.getheader("Connection") or "").lower() == "close":
                closing.append(f"{method} {path}")
            return response.status, payload

        status, tables = send("POST", "/", b"{}", {"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0", **signed_for("dynamodb")})
        expect(status == 200 and b"TableNames" in tables, f"ListTables: {status} {tables[:200]!r}")
        status, _ = send("PUT", f"/{bucket}/by-length", b"hello", signed_for("s3"))
        expect(status == 200, f"PUT with a Content-Length: {status}")
        status, _ = send("PUT", f"/{bucket}/by-chunks", iter([b"chunk one, ", b"chunk two"]), signed_for("s3"))
        expect(status == 200, f"PUT in chunks: {status}")
        # A body the application never reads (a GET's): the next request must still start after it.
        status, _ = send("GET", f"/{bucket}?list-type=2", b"ignored body", signed_for("s3"))
        expect(status == 200, f"GET with an unread body: {status}")
        status, head = send("HEAD", f"/{bucket}/by-length", headers=signed_for("s3"))
        expect(status == 200 and head == b"", f"HEAD: {status} {head!r}")
        by_length = send("GET", f"/{bucket}/by-length", headers=signed_for("s3"))[1]
        by_chunks = send("GET", f"/{bucket}/by-chunks", headers=signed_for("s3"))[1]
        expect(by_length == b"hello" and by_chunks == b"chunk one, chunk two", f"read back {by_length!r}, {by_chunks!r}")
        status, missing = send("GET", f"/{bucket}/missing", headers=signed_for("s3"))
        expect(status == 404 and b"NoSuchKey" in missing, f"missing object: {status} {missing[:200]!r}")
        connection.close()
        expect(not closing, f"the server closed the connection after {closing}")
        expect(all(sock is sockets[0] for sock in sockets), f"{len(set(map(id, sockets)))} connections for {len(sockets)} requests")
        return f"{len(sockets)} requests (by length, chunked, unread body, HEAD, 404) on one connection, each answered whole"

    def check_top_level_projections(self) -> str:
        """project_top_level_attributes_directly answers a projection of
        top-level names as moto's own way did (that way still answers nested
        paths and list indexes), through every read that takes one."""
        table = self.table_keyed_by_id_with_alt_index("projections")
        item = {
            "id": {"S": "p-1"},
            "alt": {"S": "alt-1"},
            "history": {"L": [{"M": {"status": {"S": "IN_TRANSIT"}, "at": {"N": "1.50"}}}, {"M": {"status": {"S": "DELIVERED"}, "tags": {"SS": ["a"]}}}]},
            "version": {"N": "3"},
            "status": {"S": "DELIVERED"},
            "blob": {"B": b"\x00\x01"},
            "unasked": {"S": "left out"},
        }
        self.dynamodb.put_item(TableName=table, Item=item)
        top_level = {"ProjectionExpression": "id, history, #v, #b, absent", "ExpressionAttributeNames": {"#v": "version", "#b": "blob"}}
        expected = {name: item[name] for name in ("id", "history", "version", "blob")}
        answers = {
            "GetItem": self.dynamodb.get_item(TableName=table, Key={"id": {"S": "p-1"}}, **top_level)["Item"],
            "BatchGetItem": self.dynamodb.batch_get_item(RequestItems={table: {"Keys": [{"id": {"S": "p-1"}}], **top_level}})["Responses"][table][0],
            "Query": self.dynamodb.query(TableName=table, IndexName="by-alt", KeyConditionExpression="alt = :alt", ExpressionAttributeValues={":alt": {"S": "alt-1"}}, **top_level)["Items"][0],
            "Scan": self.dynamodb.scan(TableName=table, **top_level)["Items"][0],
        }
        wrong = {name: answer for name, answer in answers.items() if answer != expected}
        expect(not wrong, f"answered {wrong}, expected {expected}")
        nested = self.dynamodb.get_item(TableName=table, Key={"id": {"S": "p-1"}}, ProjectionExpression="history[1].#s, #v", ExpressionAttributeNames={"#s": "status", "#v": "version"})["Item"]
        expect(nested == {"history": {"L": [{"M": {"status": {"S": "DELIVERED"}}}]}, "version": {"N": "3"}}, f"nested projection answered {nested}")
        return f"top-level names through {', '.join(answers)} as stored; a nested path and index still projected"

    def check_key_order_and_matches(self) -> str:
        """compare_key_values_cheaply: Query keeps numeric range keys in
        numeric order (either way) and matches index keys of every key type as
        DynamoDB does (a number by value: 1 finds 1.0)."""
        table = f"key-order-{self.suffix}"
        self.dynamodb.create_table(
            TableName=table,
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "n", "AttributeType": "N"},
                {"AttributeName": "tag", "AttributeType": "S"}, {"AttributeName": "num", "AttributeType": "N"}, {"AttributeName": "bin", "AttributeType": "B"},
            ],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[
                {"IndexName": "by-tag", "KeySchema": [{"AttributeName": "tag", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "ALL"}},
                {"IndexName": "by-num", "KeySchema": [{"AttributeName": "num", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}},
                {"IndexName": "by-bin", "KeySchema": [{"AttributeName": "bin", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        numbers = ["10", "9", "100", "1.5", "-2"]
        for i, n in enumerate(numbers):
            self.dynamodb.put_item(TableName=table, Item={"pk": {"S": "p"}, "n": {"N": n}, "tag": {"S": "even" if i % 2 == 0 else "odd"}, "num": {"N": "1.0" if i == 3 else str(50 + i)}, "bin": {"B": bytes([i])}})
        self.dynamodb.put_item(TableName=table, Item={"pk": {"S": "q"}, "n": {"N": "0"}, "tag": {"S": "even"}})

        def ns(items: list[dict]) -> list[str]:
            return [item["n"]["N"] for item in items]

        forward = ns(self.dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}})["Items"])
        backward = ns(self.dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}}, ScanIndexForward=False)["Items"])
        expect(forward == ["-2", "1.5", "9", "10", "100"] and backward == forward[::-1], f"range keys in order {forward}, reversed {backward}")
        even = ns(self.dynamodb.query(TableName=table, IndexName="by-tag", KeyConditionExpression="tag = :t", ExpressionAttributeValues={":t": {"S": "even"}})["Items"])
        expect(even == ["-2", "0", "10", "100"], f"tag = even found {even}, in this order")
        by_number = ns(self.dynamodb.query(TableName=table, IndexName="by-num", KeyConditionExpression="num = :v", ExpressionAttributeValues={":v": {"N": "1"}})["Items"])
        expect(by_number == ["1.5"], f"num = 1 found {by_number} (the item's num is 1.0)")
        by_binary = ns(self.dynamodb.query(TableName=table, IndexName="by-bin", KeyConditionExpression="bin = :b", ExpressionAttributeValues={":b": {"B": bytes([2])}})["Items"])
        expect(by_binary == ["100"], f"bin = 0x02 found {by_binary}")
        scanned = self.dynamodb.scan(TableName=table)["Items"]
        expect(len(scanned) == 6, f"Scan found {len(scanned)} of 6 items")
        return f"range keys {forward} (and reversed); S, N (1 = 1.0) and B index keys matched"

    def check_update_expressions_reused(self) -> str:
        """reuse_parsed_update_expressions: one expression used again and again,
        on different items with different values, applies each request's own
        values; a malformed expression is refused every time."""
        table = self.table_keyed_by("reused-expressions")
        expression = "SET #s = :s, seen = list_append(if_not_exists(seen, :none), :seen), hits = if_not_exists(hits, :zero) + :one REMOVE scratch"
        for round_ in range(2):
            for i in range(4):
                self.dynamodb.update_item(
                    TableName=table,
                    Key={"id": {"S": f"item-{i}"}},
                    UpdateExpression=expression,
                    ExpressionAttributeNames={"#s": "status"},
                    ExpressionAttributeValues={":s": {"S": f"status-{i}-{round_}"}, ":seen": {"L": [{"S": f"{i}/{round_}"}]}, ":none": {"L": []}, ":zero": {"N": "0"}, ":one": {"N": "1"}},
                )
        items = {item["id"]["S"]: item for item in self.dynamodb.scan(TableName=table)["Items"]}
        for i in range(4):
            item = items[f"item-{i}"]
            expect(item["status"] == {"S": f"status-{i}-1"}, f"item-{i} status {item['status']}")
            expect(item["seen"] == {"L": [{"S": f"{i}/0"}, {"S": f"{i}/1"}]}, f"item-{i} seen {item['seen']}")
            expect(item["hits"] == {"N": "2"}, f"item-{i} hits {item['hits']}")
        refused = 0
        for _ in range(2):
            try:
                self.dynamodb.update_item(TableName=table, Key={"id": {"S": "item-0"}}, UpdateExpression="SET status = ", ExpressionAttributeValues={":s": {"S": "x"}})
            except ClientError as err:
                refused += err.response["Error"]["Code"] == "ValidationException"
        expect(refused == 2, f"a malformed expression was refused {refused} of 2 times")
        return "8 updates through one expression, each with its own values; a malformed one refused twice"

    def check_update_expressions_validated(self) -> str:
        """traverse_update_expressions_directly: every pass of the validator
        still runs where it has something to say. Each refused expression is
        refused twice (a failed structural check is not taken as passed), with
        moto's message; an expression that passed is refused once its names
        make two paths one, or name the key; the accepted ones resolve paths,
        functions and arithmetic."""
        table = self.table_keyed_by("validated-expressions")
        key = {"id": {"S": "one"}}
        self.dynamodb.put_item(TableName=table, Item={**key, "tally": {"N": "1"}, "tags": {"L": [{"S": "a"}]}, "nested": {"M": {"level": {"N": "2"}}}})
        refused = {
            "SET a = :one SET b = :one": "The \"SET\" section can only be used once in an update expression;",
            "ADD c :one ADD d :one": "The \"ADD\" section can only be used once in an update expression;",
            "SET a = :one, a = :two": "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
            "SET id = :text": "One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key",
            "SET tally = tally + :text": "Incorrect operand type for operator or function; operator or function: +",
            "SET absent.deeper = :one": "The document path provided in the update expression is invalid for update",
            "SET a = :one REMOVE b SET c = :two": "The \"SET\" section can only be used once in an update expression;",
            "SET e = :text REMOVE id": "Cannot update attribute id. This attribute is part of the key",
        }
        values = {":one": {"N": "1"}, ":two": {"N": "2"}, ":text": {"S": "x"}}
        for expression, message in refused.items():
            used = {name: value for name, value in values.items() if name in expression}
            for attempt in (1, 2):
                try:
                    self.dynamodb.update_item(TableName=table, Key=key, UpdateExpression=expression, ExpressionAttributeValues=used)
                    raise AssertionError(f"{expression!r} accepted on attempt {attempt}")
                except ClientError as err:
                    expect(err.response["Error"]["Code"] == "ValidationException", f"{expression!r}: {err.response['Error']['Code']}")
                    expect(message in err.response["Error"]["Message"], f"{expression!r} attempt {attempt}: {err.response['Error']['Message']!r}, expected {message!r}")
        # One expression, its names changed: what it overlaps or whether it touches the key is asked again.
        renamed = [({"#a": "left", "#b": "right"}, None), ({"#a": "same", "#b": "same"}, "Two document paths overlap"), ({"#a": "left", "#b": "id"}, "Cannot update attribute id"), ({"#a": "left", "#b": "right"}, None)]
        for names, message in renamed:
            try:
                self.dynamodb.update_item(TableName=table, Key=key, UpdateExpression="SET #a = :one, #b = :two", ExpressionAttributeNames=names, ExpressionAttributeValues={":one": {"N": "1"}, ":two": {"N": "2"}})
                expect(message is None, f"{names} accepted, expected {message!r}")
            except ClientError as err:
                expect(message is not None and message in err.response["Error"]["Message"], f"{names}: {err.response['Error']['Message']!r}, expected {message!r}")
        for _ in range(2):
            self.dynamodb.update_item(
                TableName=table,
                Key=key,
                UpdateExpression="SET #t = #t + :one, tags = list_append(tags, :more), nested.#l = nested.#l + :two, fresh = if_not_exists(fresh, :text) REMOVE gone",
                ExpressionAttributeNames={"#t": "tally", "#l": "level"},
                ExpressionAttributeValues={":one": {"N": "1"}, ":two": {"N": "2"}, ":more": {"L": [{"S": "b"}]}, ":text": {"S": "x"}},
            )
        item = self.dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
        expect(item["tally"] == {"N": "3"}, f"tally {item['tally']}")
        expect(item["nested"] == {"M": {"level": {"N": "6"}}}, f"nested {item['nested']}")
        expect(item["tags"] == {"L": [{"S": "a"}, {"S": "b"}, {"S": "b"}]}, f"tags {item['tags']}")
        expect(item["fresh"] == {"S": "x"}, f"fresh {item['fresh']}")
        expect("gone" not in item, "gone")
        return f"{len(refused)} invalid expressions refused twice each with moto's message; one expression judged anew for each set of names; 2 updates applied"

    def check_cancelled_transactions_roll_back(self) -> str:
        """back_up_only_the_items_a_transaction_touches: a cancelled
        TransactWriteItems leaves every item as it was (the updated one, the
        deleted one, the one it would have created, and those it never named),
        in tables with and without a sort key; one that succeeds applies all."""
        stock, ledger = self.table_keyed_by("tx-stock", "sku"), f"tx-ledger-{self.suffix}"
        self.dynamodb.create_table(
            TableName=ledger,
            AttributeDefinitions=[{"AttributeName": "order", "AttributeType": "S"}, {"AttributeName": "seq", "AttributeType": "N"}],
            KeySchema=[{"AttributeName": "order", "KeyType": "HASH"}, {"AttributeName": "seq", "KeyType": "RANGE"}],
            BillingMode="PAY_PER_REQUEST",
        )
        for sku, units in (("A", "1"), ("B", "5"), ("untouched", "7")):
            self.dynamodb.put_item(TableName=stock, Item={"sku": {"S": sku}, "units": {"N": units}, "notes": {"L": [{"S": "kept"}]}})
        for seq in ("1", "2"):
            self.dynamodb.put_item(TableName=ledger, Item={"order": {"S": "o-1"}, "seq": {"N": seq}, "amount": {"N": "10"}})

        def everything() -> dict:
            return {
                stock: sorted(json.dumps(item, sort_keys=True) for item in self.dynamodb.scan(TableName=stock, ConsistentRead=True)["Items"]),
                ledger: sorted(json.dumps(item, sort_keys=True) for item in self.dynamodb.scan(TableName=ledger, ConsistentRead=True)["Items"]),
            }

        before = everything()
        actions = [
            {"Update": {"TableName": stock, "Key": {"sku": {"S": "A"}}, "UpdateExpression": "SET units = units - :one, notes = list_append(notes, :note)", "ExpressionAttributeValues": {":one": {"N": "1"}, ":note": {"L": [{"S": "taken"}]}}}},
            {"Delete": {"TableName": stock, "Key": {"sku": {"S": "B"}}}},
            {"Put": {"TableName": stock, "Item": {"sku": {"S": "C"}, "units": {"N": "3"}}}},
            {"Update": {"TableName": ledger, "Key": {"order": {"S": "o-1"}, "seq": {"N": "2"}}, "UpdateExpression": "SET amount = :zero", "ExpressionAttributeValues": {":zero": {"N": "0"}}}},
            {"Put": {"TableName": ledger, "Item": {"order": {"S": "o-1"}, "seq": {"N": "3"}, "amount": {"N": "-10"}}}},
            {"ConditionCheck": {"TableName": stock, "Key": {"sku": {"S": "untouched"}}, "ConditionExpression": "units > :many", "ExpressionAttributeValues": {":many": {"N": "100"}}}},
        ]
        try:
            self.dynamodb.transact_write_items(TransactItems=actions)
            raise AssertionError("the transaction whose condition fails went through")
        except ClientError as err:
            expect(err.response["Error"]["Code"] == "TransactionCanceledException", f"cancelled with {err.response['Error']['Code']}")
        after_cancel = everything()
        expect(after_cancel == before, f"after the cancelled transaction: {after_cancel}, before: {before}")
        self.dynamodb.transact_write_items(TransactItems=actions[:-1])
        units = {item["sku"]["S"]: item["units"]["N"] for item in self.dynamodb.scan(TableName=stock, ConsistentRead=True)["Items"]}
        amounts = {item["seq"]["N"]: item["amount"]["N"] for item in self.dynamodb.scan(TableName=ledger, ConsistentRead=True)["Items"]}
        expect(units == {"A": "0", "C": "3", "untouched": "7"} and amounts == {"1": "10", "2": "0", "3": "-10"}, f"after the one that succeeds: {units}, {amounts}")
        self.dynamodb.put_item(TableName=stock, Item={"sku": {"S": "D"}, "units": {"N": "1"}})
        expect(len(self.dynamodb.scan(TableName=stock, ConsistentRead=True)["Items"]) == 4, "a write after the transactions was lost")
        return "a cancelled transaction left both tables as they were; the same one without the failing check applied all 5 actions"

    def check_shared_program_keeps_retries_apart(self) -> str:
        # MaxAttempts 2 is just enough for the mocked two failures: counters shared between
        # executions of one (shared) program would exhaust it and fail some of them.
        arn = self.machine(
            "shared-retries",
            {
                "StartAt": "Call",
                "States": {
                    "Call": {
                        "Type": "Task",
                        "Resource": LAMBDA_MISSING,
                        "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 1.0}],
                        "End": True,
                    }
                },
            },
        )
        config = self._mock_config([])
        config["StateMachines"][f"shared-retries-{self.suffix}"] = {"TestCases": {"RetryTwice": {"Call": "FlakyThenOK"}}}
        self.write_mock_config(config)
        arns = [self.sfn.start_execution(stateMachineArn=f"{arn}#RetryTwice", input="{}")["executionArn"] for _ in range(5)]
        outcomes = []
        for execution_arn in arns:
            described = self.finished(execution_arn, timeout=30)
            failed = sum(e["type"] in ("TaskFailed", "LambdaFunctionFailed") for e in self.history(execution_arn))
            outcomes.append((described["status"], failed))
        expect(outcomes == [("SUCCEEDED", 2)] * 5, f"(status, failed attempts) per execution: {outcomes}")
        return "5 concurrent executions of one program: each retried twice on its own, all SUCCEEDED"


    # -- 10: a failing Parallel branch, repeated --------------------------- #
    def _charge_and_reserve_machine(self, name: str) -> str:
        def task(function: str, **extra: Any) -> dict:
            return {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": LAMBDA_MISSING.replace("does-not-exist", function), "Payload.$": "$"},
                "ResultSelector": {"value.$": "$.Payload"},
                **extra,
            }

        return self.machine(
            name,
            {
                "StartAt": "ChargeAndReserve",
                "States": {
                    "ChargeAndReserve": {
                        "Type": "Parallel",
                        "Branches": [
                            {"StartAt": "Charge", "States": {"Charge": task("charge", End=True)}},
                            {
                                "StartAt": "Reserve",
                                "States": {
                                    "Reserve": task("reserve", Next="Confirm"),
                                    "Confirm": {"Type": "Pass", "End": True},
                                },
                            },
                        ],
                        "Catch": [{"ErrorEquals": ["PaymentDeclined"], "ResultPath": "$.error", "Next": "Declined"}],
                        "Next": "Done",
                    },
                    "Declined": {"Type": "Pass", "End": True},
                    "Done": {"Type": "Pass", "End": True},
                },
            },
        )

    def _charge_and_reserve_config(self, name: str) -> dict:
        return {
            "StateMachines": {
                name: {
                    "TestCases": {
                        "Declined": {"Charge": "Declined", "Reserve": "Reserved"},
                        "Paid": {"Charge": "Charged", "Reserve": "Reserved"},
                    }
                }
            },
            "MockedResponses": {
                "Declined": {"0": {"Throw": {"Error": "PaymentDeclined", "Cause": "card refused"}}},
                "Charged": {"0": {"Return": {"StatusCode": 200, "Payload": {"chargeId": "ch-1"}}}},
                "Reserved": {"0": {"Return": {"StatusCode": 200, "Payload": {"reservationId": "rs-1"}}}},
            },
        }

    def _run_many(self, arn: str, count: int, input_json: str = '{"orderId": "o-1"}') -> list[list[dict]]:
        from concurrent.futures import ThreadPoolExecutor

        def start(_: int) -> str:
            return self.sfn.start_execution(stateMachineArn=arn, input=input_json)["executionArn"]

        def history_when_finished(execution_arn: str) -> list[dict]:
            self.finished(execution_arn, timeout=60)
            return self.history(execution_arn)

        with ThreadPoolExecutor(max_workers=4) as pool:
            execution_arns = list(pool.map(start, range(count)))
            return list(pool.map(history_when_finished, execution_arns))

    def check_failing_parallel_branch_repeated(self) -> str:
        runs = int(os.environ.get("CHECK_PARALLEL_RUNS", "200"))
        arn = self._charge_and_reserve_machine("charge-and-reserve")
        name = arn.rsplit(":", 1)[1]
        self.write_mock_config(self._charge_and_reserve_config(name))
        histories = self._run_many(f"{arn}#Declined", runs)
        bad = [(i, problems) for i, problems in enumerate(map(failed_parallel_problems, histories)) if problems]
        kinds: dict[str, int] = {}
        for _, problems in bad:
            for kind in {problem.split(":", 1)[0] for problem in problems}:
                kinds[kind] = kinds.get(kind, 0) + 1
        shapes: dict[str, int] = {}
        for events in histories:
            sibling = sibling_shape(events)
            shapes[sibling] = shapes.get(sibling, 0) + 1
        expect(not bad, f"{len(bad)} of {runs} histories wrong {kinds}; e.g. run {bad[0][0]}: {bad[0][1]}" if bad else "")
        summary = ", ".join(f"{count}x {shape}" for shape, count in sorted(shapes.items(), key=lambda kv: -kv[1]))
        return f"{runs} runs, 0 spurious events; sibling Reserve: {summary}"

    def check_parallel_event_links(self) -> str:
        arn = self._charge_and_reserve_machine("parallel-links")
        name = arn.rsplit(":", 1)[1]
        self.write_mock_config(self._charge_and_reserve_config(name))
        (paid,) = self._run_many(f"{arn}#Paid", 1)
        by_type = {e["type"]: e for e in paid}
        branch_ids = [e["id"] for e in paid if by_type["ParallelStateStarted"]["id"] < e["id"] < by_type["ParallelStateSucceeded"]["id"]]
        # AWS (histories LocalStack recorded against it): Succeeded and Exited
        # both point at the last branch event; Exited does not chain to Succeeded.
        expect(by_type["ParallelStateSucceeded"]["previousEventId"] == max(branch_ids), "ParallelStateSucceeded link")
        expect(by_type["ParallelStateExited"]["previousEventId"] == max(branch_ids), "ParallelStateExited link (success)")
        (declined,) = self._run_many(f"{arn}#Declined", 1)
        by_type = {e["type"]: e for e in declined}
        expect(
            by_type["ParallelStateExited"]["previousEventId"] == by_type["ParallelStateFailed"]["id"],
            "ParallelStateExited link (failure)",
        )
        return "success: Succeeded and Exited -> last branch event; failure: Exited -> ParallelStateFailed"


    # -- 11: mocked failures: events, logs, unknown test cases ------------- #
    def check_mocked_failure_events(self) -> str:
        arn = self._charge_and_reserve_machine("mocked-failure-events")
        name = arn.rsplit(":", 1)[1]
        self.write_mock_config(self._charge_and_reserve_config(name))
        (events,) = self._run_many(f"{arn}#Declined", 1)
        (failed,) = [e["taskFailedEventDetails"] for e in events if e["type"] == "TaskFailed"]
        expected = {"error": "PaymentDeclined", "cause": "card refused", "resource": "invoke", "resourceType": "lambda"}
        expect(failed == expected, f"service TaskFailed {failed}")

        legacy = self._mocked_machine(name="legacy-lambda-failure")  # Resource: a Lambda function ARN
        self.write_mock_config(self._mock_config([legacy.rsplit(":", 1)[1]]))
        (legacy_events,) = self._run_many(f"{legacy}#Declined", 1)
        types = [e["type"] for e in legacy_events]
        expect("TaskFailed" not in types, f"Lambda ARN resource recorded TaskFailed: {types}")
        (lambda_failed,) = [e["lambdaFunctionFailedEventDetails"] for e in legacy_events if e["type"] == "LambdaFunctionFailed"]
        expect(lambda_failed == {"error": "PaymentDeclined", "cause": "card refused"}, f"LambdaFunctionFailed {lambda_failed}")
        return "lambda:invoke -> TaskFailed with resource/resourceType; Lambda ARN -> LambdaFunctionFailed"

    def check_unknown_mock_test_case(self) -> str:
        arn = self._mocked_machine(name="unknown-case")
        name = arn.rsplit(":", 1)[1]
        answers = []
        for config, case, wanted in (
            (self._mock_config([name]), "NoSuchCase", f"defines no test case 'NoSuchCase' for '{name}' (it defines: Declined, HappyPath, SaveConflict)"),
            (self._mock_config([]), "HappyPath", f"has no entry for state machine '{name}'"),
        ):
            self.write_mock_config(config)
            try:
                self.sfn.start_execution(stateMachineArn=f"{arn}#{case}", input="{}")
                raise AssertionError(f"#{case} accepted")
            except ClientError as err:
                error = err.response["Error"]
                expect(error["Code"] == "InvalidName" and wanted in error["Message"], f"#{case} -> {error}")
                answers.append(error["Message"])
        expect(not self.sfn.list_executions(stateMachineArn=arn)["executions"], "an execution was started")
        return answers[0]

    def check_failure_logs_short(self) -> str:
        log_path = getattr(self, "log_path", None)
        expect(log_path is not None, "no launcher log to read")
        text = Path(log_path).read_text(encoding="utf-8", errors="replace")
        longest = max((len(line) for line in text.splitlines()), default=0)
        expect("Exception=FailureEventException" not in text, "handled failures logged as ERROR dumps")
        expect(longest <= 1000, f"a log line of {longest} characters")
        return f"after every mocked failure above: {len(text)} bytes of log, longest line {longest} characters"


    # -- 36: each engine call held to its state machine's role ------------- #
    def check_engine_calls_attributed(self) -> str:
        """With LOCAL_IAM=enforce, a Task's calls say which state machine and
        role make them: a Lambda invoke reaches the front (MOTO_PORT) with
        `x-local-caller` and `x-local-task`; a DynamoDB call served in process
        is first put to the front (/_local/engine-calls), whose refusal the
        Task gets as DynamoDB's AccessDeniedException; a rule's deliveries
        are put to it too, and a refused state machine target is not started.
        A launcher of its own, whose MOTO_PORT is a stand-in front that
        refuses DynamoDB PutItem and states:StartExecution for the role
        `no-start`."""
        asked: list[dict] = []
        invoked: list[dict] = []
        refusal = {
            "status": 400,
            "headers": {"content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "r-1"},
            "body": json.dumps({"__type": "com.amazon.coral.service#AccessDeniedException", "Message": "User: arn:aws:sts::000000000000:assumed-role/local-sfn/x is not authorized to perform: dynamodb:PutItem"}),
        }

        def front(request: Any, body: bytes) -> tuple[int, bytes]:
            if request.path != "/_local/engine-calls":
                invoked.append({"path": request.path, "caller": request.headers.get("x-local-caller"), "task": request.headers.get("x-local-task")})
                return 200, json.dumps({"charged": True}).encode()
            call = json.loads(body)
            asked.append(call)
            target = {k.lower(): v for k, v in (call.get("request") or {}).get("headers", {}).items()}.get("x-amz-target", "")
            refused = target == "DynamoDB_20120810.PutItem" or (call.get("checks") and call["caller"].endswith("role/no-start"))
            return 200, json.dumps({"proceed": False, "answer": refusal if call.get("request") else None} if refused else {"proceed": True}).encode()

        with stand_in_server(front) as front_port:
            launcher = Launcher(str(self.mock_config_path), front_port=front_port, extra_env={"LOCAL_IAM": "enforce"})
            try:
                own = clients(launcher.port)
                sfn, events, dynamodb = own["stepfunctions"], own["events"], own["dynamodb"]
                dynamodb.create_table(TableName="payments", AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
                function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:charge"
                definition = {
                    "StartAt": "Record",
                    "States": {
                        "Record": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::dynamodb:putItem",
                            "Parameters": {"TableName": "payments", "Item": {"id": {"S": "p-1"}}},
                            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Charge"}],
                            "Next": "Charge",
                        },
                        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": function_arn, "Payload": {}}, "End": True},
                    },
                }
                machine = sfn.create_state_machine(name="attributed", definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
                execution = sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
                described = wait_for("the execution", lambda: (lambda d: d if d["status"] != "RUNNING" else None)(sfn.describe_execution(executionArn=execution)))
                history = sfn.get_execution_history(executionArn=execution)["events"]
                failed = [e["taskFailedEventDetails"] for e in history if e["type"] == "TaskFailed"]
                expect(described["status"] == "SUCCEEDED", f"execution {described['status']}")
                expect(len(failed) == 1 and failed[0]["error"] == "DynamoDB.AccessDeniedException" and "dynamodb:PutItem" in failed[0]["cause"], f"Record failed with {failed}")
                expect("Item" not in dynamodb.get_item(TableName="payments", Key={"id": {"S": "p-1"}}), "the refused PutItem was written all the same")

                events.put_rule(Name="placed", EventPattern=json.dumps({"source": ["shop"]}))
                events.put_targets(Rule="placed", Targets=[
                    {"Id": "machine", "Arn": machine, "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/no-start"},
                    {"Id": "fn", "Arn": function_arn},
                ])
                events.put_events(Entries=[{"Source": "shop", "DetailType": "OrderPlaced", "Detail": "{}"}])
                wait_for("the rule's deliveries to be asked about", lambda: len([a for a in asked if a.get("checks")]) >= 2)
                wait_for("the Lambda delivery", lambda: len(invoked) >= 2)
                executions = sfn.list_executions(stateMachineArn=machine)["executions"]
            finally:
                launcher.stop()

        caller = f"state-machine {machine} {ROLE}"
        put = [a for a in asked if a.get("request")]
        expect(put and put[0]["caller"] == caller and put[0]["task"] == "arn:aws:states:::dynamodb:putItem", f"in-process call asked as {put[:1]}")
        expect(invoked[0] == {"path": f"/2015-03-31/functions/{function_arn.replace(':', '%3A')}/invocations", "caller": caller, "task": "arn:aws:states:::lambda:invoke"}, f"Lambda invoked as {invoked[0]}")
        deliveries = {a["checks"][0]["action"]: a["caller"] for a in asked if a.get("checks")}
        rule_arn = f"arn:aws:events:{REGION}:{ACCOUNT}:rule/placed"
        expect(deliveries == {"states:StartExecution": f"rule {rule_arn} arn:aws:iam::{ACCOUNT}:role/no-start", "lambda:InvokeFunction": f"rule {rule_arn} -"}, f"deliveries asked as {deliveries}")
        expect(len(executions) == 1, f"{len(executions)} executions: the refused rule target was started")
        expect(invoked[1]["caller"] is None, "an EventBridge delivery carries no Task's caller")
        return "Task calls carried their machine and role; PutItem refused in process; the refused rule target not started"

    def check_engine_calls_asked_under_faults(self) -> str:
        """With LOCAL_FAULTS set (and IAM off), the engine still asks the front
        about the calls it serves in process, so that the front can answer one
        with an injected fault: an UpdateItem the stand-in front throttles once
        fails the Task with DynamoDB.ProvisionedThroughputExceededException,
        which its Retry absorbs. The throttled attempt is not applied (the
        counter it adds to ends at 1, not 2)."""
        asked: list[dict] = []
        throttled = {
            "status": 400,
            "headers": {"content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "r-1", "x-amzn-errortype": "ProvisionedThroughputExceededException"},
            "body": json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", "message": "throttled"}),
        }

        def front(request: Any, body: bytes) -> tuple[int, bytes]:
            call = json.loads(body) if request.path == "/_local/engine-calls" else {}
            asked.append(call)
            first = len([a for a in asked if a.get("request")]) == 1
            return 200, json.dumps({"proceed": False, "answer": throttled} if call.get("request") and first else {"proceed": True}).encode()

        with stand_in_server(front) as front_port:
            launcher = Launcher(str(self.mock_config_path), front_port=front_port, extra_env={"LOCAL_IAM": "off", "LOCAL_FAULTS": "on"})
            try:
                own = clients(launcher.port)
                sfn, dynamodb = own["stepfunctions"], own["dynamodb"]
                dynamodb.create_table(TableName="orders", AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
                definition = {
                    "StartAt": "Record",
                    "States": {
                        "Record": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::dynamodb:updateItem",
                            "Parameters": {"TableName": "orders", "Key": {"id": {"S": "o-1"}}, "UpdateExpression": "ADD attempts :one", "ExpressionAttributeValues": {":one": {"N": "1"}}},
                            "Retry": [{"ErrorEquals": ["DynamoDB.ProvisionedThroughputExceededException"], "IntervalSeconds": 1, "MaxAttempts": 2}],
                            "End": True,
                        },
                    },
                }
                machine = sfn.create_state_machine(name="faulted", definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
                execution = sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
                described = wait_for("the execution", lambda: (lambda d: d if d["status"] != "RUNNING" else None)(sfn.describe_execution(executionArn=execution)))
                history = sfn.get_execution_history(executionArn=execution)["events"]
                item = dynamodb.get_item(TableName="orders", Key={"id": {"S": "o-1"}}).get("Item")
            finally:
                launcher.stop()

        failed = [e["taskFailedEventDetails"]["error"] for e in history if e["type"] == "TaskFailed"]
        expect(described["status"] == "SUCCEEDED", f"execution {described['status']}")
        expect(failed == ["DynamoDB.ProvisionedThroughputExceededException"], f"Task failures {failed}")
        expect(item is not None and item["attempts"]["N"] == "1", f"the item after a throttled and a retried UpdateItem: {item}")
        return "with LOCAL_FAULTS the engine asked the front; the throttled UpdateItem was not applied, its retry was, once"

    def check_parallel_failure_as_aws_recorded(self) -> str:
        """LocalStack's parity test test_sqs_failure_in_wait_for_task_tok_no_error_field
        [SQS_PARALLEL_WAIT_FOR_TASK_TOKEN], replayed: its history as AWS recorded it
        (tests/aws/services/stepfunctions/v2/callback/test_callback.snapshot.json)."""
        aws = [
            ("ExecutionStarted", 0), ("ParallelStateEntered", 0), ("ParallelStateStarted", 2),
            ("TaskStateEntered", 3), ("TaskScheduled", 4), ("TaskStarted", 5), ("TaskSubmitted", 6),
            ("TaskFailed", 7), ("TaskStateAborted", 8), ("ParallelStateFailed", 8),
            ("ParallelStateExited", 10), ("PassStateEntered", 11), ("PassStateExited", 12),
            ("ExecutionSucceeded", 13),
        ]
        queue_url = self.sqs.create_queue(QueueName=f"parallel-tokens-{self.suffix}")["QueueUrl"]
        send = {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl.$": "$.QueueUrl", "MessageBody": {"Context.$": "$", "TaskToken.$": "$$.Task.Token"}},
            "End": True,
        }
        arn = self.machine(
            "parallel-callback",
            {
                "StartAt": "ParallelJob",
                "States": {
                    "ParallelJob": {
                        "Type": "Parallel",
                        "Branches": [{"StartAt": "SendMessageWithWait", "States": {"SendMessageWithWait": send}}],
                        "Catch": [
                            {"ErrorEquals": ["States.Runtime"], "ResultPath": "$.states_runtime_error", "Next": "CaughtRuntimeError"},
                            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.states_all_error", "Next": "CaughtStatesALL"},
                        ],
                        "End": True,
                    },
                    "CaughtRuntimeError": {"Type": "Pass", "End": True},
                    "CaughtStatesALL": {"Type": "Pass", "End": True},
                },
            },
        )
        execution_arn = self.sfn.start_execution(
            stateMachineArn=arn, input=json.dumps({"QueueUrl": queue_url, "Message": "test_message_txt"})
        )["executionArn"]
        messages = wait_for("task token", lambda: self.sqs.receive_message(QueueUrl=queue_url).get("Messages"))
        self.sfn.send_task_failure(taskToken=json.loads(messages[0]["Body"])["TaskToken"])
        self.finished(execution_arn)
        events = self.history(execution_arn)
        local = [(e["type"], e["previousEventId"]) for e in events]
        expect([e["id"] for e in events] == list(range(1, len(aws) + 1)), "event ids")
        expect(local == aws, f"history differs from AWS's:\n  local {local}\n  aws   {aws}")
        return f"{len(aws)} events, types and previousEventIds as AWS recorded them"

    # -- 38: a failing Map iteration stops its siblings ---------------------- #
    def _map_machine(self, name: str, queue_url: str, max_concurrency: int) -> str:
        """Items `{"kind": "fail"}` fail at once; any other waits a second, then
        writes to the queue. The Map's Catch ends the execution SUCCEEDED."""
        return self.machine(
            name,
            {
                "StartAt": "Each",
                "States": {
                    "Each": {
                        "Type": "Map",
                        "ItemsPath": "$.items",
                        "MaxConcurrency": max_concurrency,
                        "ItemProcessor": {
                            "ProcessorConfig": {"Mode": "INLINE"},
                            "StartAt": "Route",
                            "States": {
                                "Route": {"Type": "Choice", "Choices": [{"Variable": "$.kind", "StringEquals": "fail", "Next": "Boom"}], "Default": "Pause"},
                                "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "this item failed"},
                                "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Write"},
                                "Write": {
                                    "Type": "Task",
                                    "Resource": "arn:aws:states:::sqs:sendMessage",
                                    "Parameters": {"QueueUrl": queue_url, "MessageBody.$": "States.JsonToString($)"},
                                    "End": True,
                                },
                            },
                        },
                        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Handled"}],
                        "End": True,
                    },
                    "Handled": {"Type": "Pass", "End": True},
                },
            },
        )

    def check_failing_map_iteration_stops_siblings(self) -> str:
        """Item 1 fails while item 0 waits; items 2 and 3 wait for a worker
        (MaxConcurrency 2). As AWS records it: item 0 is aborted in its Wait
        (and never writes), items 2 and 3 never start, and after the failure
        come MapIterationAborted, WaitStateAborted, MapIterationFailed and
        MapStateFailed, all pointing at the failure, then only the Catch route."""
        queue_url = self.sqs.create_queue(QueueName=f"map-siblings-{self.suffix}")["QueueUrl"]
        arn = self._map_machine("map-siblings", queue_url, max_concurrency=2)
        items = json.dumps({"items": [{"kind": "wait", "item": 0}, {"kind": "fail"}, {"kind": "wait", "item": 2}, {"kind": "wait", "item": 3}]})
        runs = int(os.environ.get("CHECK_MAP_RUNS", "20"))
        histories = self._run_many(arn, runs, input_json=items)
        time.sleep(1.5)  # a sibling left running would write a second after its Wait began
        written = self.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        expect(not written, f"{len(written)} write(s) by iterations of a Map that had failed: {[m['Body'] for m in written]}")
        expected = ["MapIterationAborted", "WaitStateAborted", "MapIterationFailed", "MapStateFailed", "MapStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
        # Item 0 may finish the decision it is in (its Choice, up to entering its Wait), no more.
        finishing = {"MapIterationStarted", "ChoiceStateEntered", "ChoiceStateExited", "WaitStateEntered"}
        for run, events in enumerate(histories):
            types = [e["type"] for e in events]
            expect("MapIterationAborted" in types, f"run {run}: no MapIterationAborted in {types}")
            failure, cut = types.index("FailStateEntered"), types.index("MapIterationAborted")
            expect(set(types[failure + 1 : cut]) <= finishing, f"run {run}: between the failure and the abort {types[failure + 1 : cut]}")
            expect(types[cut:] == expected, f"run {run}: from the abort on {types[cut:]}")
            failure_id = events[failure]["id"]
            links = [(e["type"], e["previousEventId"]) for e in events[cut : cut + 4]]
            expect(all(previous == failure_id for _, previous in links), f"run {run}: {links} should all point at {failure_id}")
            aborted = events[cut]["mapIterationAbortedEventDetails"]
            failed = events[cut + 2]["mapIterationFailedEventDetails"]
            expect((aborted, failed) == ({"name": "Each", "index": 0}, {"name": "Each", "index": 1}), f"run {run}: aborted {aborted}, failed {failed}")
            started = sorted(e["mapIterationStartedEventDetails"]["index"] for e in events if e["type"] == "MapIterationStarted")
            expect(started == [0, 1], f"run {run}: iterations started {started}")
        return f"{runs} runs: sibling aborted in its Wait, never wrote; items 2-3 never started; events as AWS orders them"

    def check_map_failure_reported_once(self) -> str:
        """Two items fail at the same moment: the Map fails once, with one
        MapIterationFailed, and no iteration is reported as succeeded."""
        queue_url = self.sqs.create_queue(QueueName=f"map-twice-{self.suffix}")["QueueUrl"]
        arn = self._map_machine("map-twice", queue_url, max_concurrency=0)
        runs = int(os.environ.get("CHECK_MAP_RUNS", "20"))
        histories = self._run_many(arn, runs, input_json=json.dumps({"items": [{"kind": "fail"}, {"kind": "fail"}]}))
        for run, events in enumerate(histories):
            types = [e["type"] for e in events]
            counts = {t: types.count(t) for t in ("MapIterationFailed", "MapStateFailed", "MapIterationSucceeded")}
            expect(counts == {"MapIterationFailed": 1, "MapStateFailed": 1, "MapIterationSucceeded": 0}, f"run {run}: {counts} in {types}")
            expect(types[-4:] == ["MapStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"], f"run {run}: ends {types[-4:]}")
        return f"{runs} runs: one MapIterationFailed, one MapStateFailed, nothing after the Catch route"

    # -- 37: the HTTP Task -------------------------------------------------- #
    def check_http_task(self) -> str:
        """`arn:aws:states:::http:invoke` sends the request AWS sends (the
        connection's API key injected, JSON body, query), answers AWS's result
        shape, fails a non-2xx answer as `States.Http.StatusCode.<code>` (Retry
        and Catch match it) and an endpoint nobody answers as `States.Http.Socket`."""
        requests_seen: list[dict] = []

        def provider(request: Any, body: bytes) -> tuple[int, bytes]:
            form = "x-www-form-urlencoded" in request.headers.get("Content-Type", "")
            requests_seen.append({"path": request.path, "headers": dict(request.headers), "body": body.decode() if form else json.loads(body)})
            if request.path.startswith(("/v1/down", "/v1/unavailable")):
                return 503, b'{"error":"try later"}'
            return 200, json.dumps({"id": "cus_1", "email": "a@example.com" if form else json.loads(body)["email"]}).encode()

        with stand_in_server(provider) as provider_port:
            base = f"http://127.0.0.1:{provider_port}"
            connection = self.events.create_connection(
                Name=f"billing-{self.suffix}",
                AuthorizationType="API_KEY",
                AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "Authorization", "ApiKeyValue": "Bearer sk_test_1"}},
            )["ConnectionArn"]

            def call(endpoint: str, retry: list[dict], caught: bool = True) -> dict:
                state = {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::http:invoke",
                    "Parameters": {
                        "ApiEndpoint": endpoint,
                        "Method": "POST",
                        "Authentication": {"ConnectionArn": connection},
                        "Headers": {"Idempotency-Key.$": "$.key"},
                        "QueryParameters": {"expand": "plan"},
                        "RequestBody": {"email.$": "$.email"},
                    },
                    "Retry": retry,
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
                    "End": True,
                }
                if not caught:
                    del state["Catch"]
                return state

            # Out of a branch or an iteration, the failure keeps its name: the Parallel's or Map's Catch matches it.
            caught_by_name = [{"ErrorEquals": ["States.Http.StatusCode.503"], "ResultPath": "$.error", "Next": "Failed"}]
            down_once = f"{base}/v1/unavailable"

            no_wait = {"IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 1}
            definition = {
                "StartAt": "Which",
                "States": {
                    "Which": {"Type": "Choice", "Choices": [
                        {"Variable": "$.endpoint", "StringEquals": "up", "Next": "Up"},
                        {"Variable": "$.endpoint", "StringEquals": "down", "Next": "Down"},
                        {"Variable": "$.endpoint", "StringEquals": "down-in-branch", "Next": "DownInBranch"},
                        {"Variable": "$.endpoint", "StringEquals": "form", "Next": "Form"},
                        {"Variable": "$.endpoint", "StringEquals": "down-in-iteration", "Next": "DownInIteration"},
                    ], "Default": "Nobody"},
                    # Form-encoded as Stripe takes it: nested objects in brackets, arrays by index (AWS's default ArrayFormat).
                    "Form": {**call(f"{base}/v1/form", []), "Parameters": {**call(f"{base}/v1/form", [])["Parameters"],
                        "RequestBody": {"email.$": "$.email", "metadata": {"signupId": "s-1"}, "tags": ["a", "b"]},
                        "Transform": {"RequestBodyEncoding": "URL_ENCODED"}}},
                    "DownInBranch": {"Type": "Parallel", "Branches": [{"StartAt": "Call", "States": {"Call": call(down_once, [], caught=False)}}], "Catch": caught_by_name, "End": True},
                    "DownInIteration": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Call", "States": {"Call": call(down_once, [], caught=False)}}, "Catch": caught_by_name, "End": True},
                    "Up": call(f"{base}/v1/customers", []),
                    "Down": call(f"{base}/v1/down", [{"ErrorEquals": ["States.Http.StatusCode.503"], **no_wait}]),
                    "Nobody": call(f"http://127.0.0.1:{free_port()}/v1/customers", []),
                    "Failed": {"Type": "Pass", "End": True},
                },
            }
            arn = self.machine("http-task", definition)

            def run(endpoint: str) -> tuple[dict, list[dict]]:
                execution = self.finished(self.sfn.start_execution(stateMachineArn=arn, input=json.dumps({"endpoint": endpoint, "email": "a@example.com", "key": f"signup-{endpoint}", "items": [{"email": "a@example.com", "key": "k"}]}))["executionArn"])
                return execution, self.history(execution["executionArn"])

            up, up_history = run("up")
            down, down_history = run("down")
            nobody, nobody_history = run("nobody")
            in_branch, _ = run("down-in-branch")
            form, _ = run("form")
            in_iteration, _ = run("down-in-iteration")

        output = json.loads(up["output"])
        expect(up["status"] == "SUCCEEDED" and output["StatusCode"] == 200 and output["StatusText"] == "OK", f"up: {up['status']} {up.get('output')}")
        expect(output["ResponseBody"] == {"id": "cus_1", "email": "a@example.com"}, f"ResponseBody not parsed JSON: {output['ResponseBody']!r}")
        expect(output["Headers"].get("content-type") == ["application/json"], f"headers {output['Headers']}")
        first = requests_seen[0]
        expect(first["path"] == "/v1/customers?expand=plan", f"path {first['path']}")
        expect(first["headers"].get("Authorization") == "Bearer sk_test_1", f"the connection's API key was not injected: {first['headers']}")
        expect(first["headers"].get("Idempotency-Key") == "signup-up" and first["body"] == {"email": "a@example.com"}, f"request {first}")
        expect("sk_test_1" not in json.dumps(up_history, default=str), "the connection's secret reached the execution history")

        down_failures = [e["taskFailedEventDetails"] for e in down_history if e["type"] == "TaskFailed"]
        expect([f["error"] for f in down_failures] == ["States.Http.StatusCode.503"] * 3, f"down: failures {down_failures}")
        expect(len([r for r in requests_seen if r["path"].startswith("/v1/down")]) == 3, "Retry on States.Http.StatusCode.503 did not resend twice")
        expect(down_failures[0]["cause"] == '{"error":"try later"}' and down["status"] == "SUCCEEDED", f"down: {down_failures[0]}, {down['status']}")

        nobody_failures = [e["taskFailedEventDetails"]["error"] for e in nobody_history if e["type"] == "TaskFailed"]
        expect(nobody_failures == ["States.Http.Socket"] and nobody["status"] == "SUCCEEDED", f"nobody: {nobody_failures}, {nobody['status']}")
        form_body = next(r["body"] for r in requests_seen if r["path"].startswith("/v1/form"))
        expect(form["status"] == "SUCCEEDED" and form_body == "email=a%40example.com&metadata%5BsignupId%5D=s-1&tags%5B0%5D=a&tags%5B1%5D=b", f"form body {form_body!r}")
        for name, execution in (("branch", in_branch), ("iteration", in_iteration)):
            error = json.loads(execution.get("output") or "{}").get("error", {}).get("Error")
            expect(execution["status"] == "SUCCEEDED" and error == "States.Http.StatusCode.503", f"a 503 out of a {name}: {execution['status']} {execution.get('error')} {execution.get('cause')}")
        return "200 parsed with the connection's key injected; 503 retried then caught as States.Http.StatusCode.503, out of a Parallel branch and a Map iteration too; a form body in brackets; refused as States.Http.Socket"

    def status_change_queue(self, name: str, machine_arns: list[str]) -> str:
        """A queue that receives the default bus's execution status changes of these machines."""
        queue_url = self.sqs.create_queue(QueueName=f"{name}-{self.suffix}")["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        rule = f"{name}-{self.suffix}"
        self.events.put_rule(Name=rule, EventPattern=json.dumps({
            "source": ["aws.states"],
            "detail-type": ["Step Functions Execution Status Change"],
            "detail": {"stateMachineArn": machine_arns},
        }))
        self.events.put_targets(Rule=rule, Targets=[{"Id": "queue", "Arn": queue_arn}])
        return queue_url

    def status_changes(self, queue_url: str, count: int) -> list[dict]:
        received: list[dict] = []

        def probe():
            for message in self.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
                received.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            return received if len(received) >= count else None

        return wait_for(f"{count} status change events", probe)

    def check_execution_status_changes(self) -> str:
        """A STANDARD execution puts "Step Functions Execution Status Change"
        events (RUNNING, then how it ended, StopExecution included) on the
        default bus, in AWS's shape; an EXPRESS one puts none."""
        passes = self.machine("status-pass", {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
        waits = self.machine("status-wait", {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}})
        express = self.machine("status-express", {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, "EXPRESS")
        queue_url = self.status_change_queue("status-changes", [passes, waits, express])

        succeeded = self.sfn.start_execution(stateMachineArn=passes, name="ok", input='{"n": 1}')["executionArn"]
        self.finished(succeeded)
        stopped = self.sfn.start_execution(stateMachineArn=waits, name="stopped", input="{}")["executionArn"]
        self.sfn.stop_execution(executionArn=stopped)
        self.finished(stopped)
        self.sfn.start_sync_execution(stateMachineArn=express, input="{}")
        events = self.status_changes(queue_url, 4)
        time.sleep(0.5)  # anything more (an EXPRESS execution's) would have arrived by now
        events += [json.loads(m["Body"]) for m in self.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])]

        seen = sorted((e["detail"]["name"], e["detail"]["status"]) for e in events)
        expect(seen == [("ok", "RUNNING"), ("ok", "SUCCEEDED"), ("stopped", "ABORTED"), ("stopped", "RUNNING")], f"status changes {seen}")
        done = next(e for e in events if e["detail"]["status"] == "SUCCEEDED")
        expect(done["source"] == "aws.states" and done["detail-type"] == "Step Functions Execution Status Change", f"event {done}")
        expect(done["resources"] == [succeeded] and done["detail"]["executionArn"] == succeeded, f"resources {done['resources']}")
        expect(done["detail"]["stateMachineArn"] == passes and json.loads(done["detail"]["input"]) == {"n": 1}, f"detail {done['detail']}")
        expect(json.loads(done["detail"]["output"]) == {"n": 1} and isinstance(done["detail"]["stopDate"], int), f"detail {done['detail']}")
        return f"{len(events)} events: {seen}"

    def check_task_token_wait_stopped(self) -> str:
        """StopExecution ends an execution whose Task waits for its task token at
        once, ABORTED, without waiting for the token's timeout."""
        queue_url = self.sqs.create_queue(QueueName=f"token-wait-{self.suffix}")["QueueUrl"]
        waits = self.machine("token-wait", {"StartAt": "Ask", "States": {"Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": queue_url, "MessageBody": {"token.$": "$$.Task.Token"}},
            "TimeoutSeconds": 120,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
            "End": True,
        }, "Caught": {"Type": "Fail", "Error": "Caught"}}})
        arn = self.sfn.start_execution(stateMachineArn=waits, input="{}")["executionArn"]
        wait_for("the token in the queue", lambda: self.sqs.receive_message(QueueUrl=queue_url).get("Messages"))
        self.sfn.stop_execution(executionArn=arn)
        ended = self.finished(arn)
        expect(ended["status"] == "ABORTED", f"status {ended['status']}")
        types = [event["type"] for event in self.history(arn)]
        expect(types[-1] == "ExecutionAborted" and "FailStateEntered" not in types, f"history {types}")
        return f"{ended['status']}: {types[-3:]}"

    def check_sync_child_stopped_with_parent(self) -> str:
        """Stopping an execution that waits in `startExecution.sync:2` stops the
        child execution it waits for; a finished child is left as it ended."""
        child = self.machine("waiting-child", {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}})
        parent = self.machine("stopped-parent", {
            "StartAt": "Run",
            "States": {"Run": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child, "Name.$": "$.name", "Input": {}},
                "End": True,
            }},
        })
        child_arn = f"{child.replace(':stateMachine:', ':execution:')}:child-of-stopped"
        parent_arn = self.sfn.start_execution(stateMachineArn=parent, input='{"name": "child-of-stopped"}')["executionArn"]

        def child_running():
            try:
                return self.sfn.describe_execution(executionArn=child_arn)["status"] == "RUNNING" or None
            except self.sfn.exceptions.ExecutionDoesNotExist:
                return None

        wait_for("the child to start", child_running)
        self.sfn.stop_execution(executionArn=parent_arn)
        parent_end = self.finished(parent_arn)
        child_end = self.finished(child_arn)
        expect(parent_end["status"] == "ABORTED", f"parent {parent_end['status']}")
        expect(child_end["status"] == "ABORTED", f"child {child_end['status']}: still waiting for a parent that was stopped")
        return f"parent {parent_end['status']}, child {child_end['status']}"



    # -- 43: StopExecution on an execution that has just started ----------- #
    def check_just_started_execution_stopped(self) -> str:
        """StopExecution right after StartExecution, before the execution's
        program has begun (a long definition parses for a while on its first
        run), stops it: ABORTED, its history ExecutionStarted then
        ExecutionAborted. A SendTaskSuccess meanwhile, with a token no
        execution issued, is refused as a bad token, not a 500."""
        states = {f"Step{i}": {"Type": "Pass", "Next": f"Step{i + 1}"} for i in range(400)}
        states["Step400"] = {"Type": "Wait", "Seconds": 60, "End": True}
        long = self.machine("long-definition", {"Comment": self.suffix, "StartAt": "Step0", "States": states})
        arn = self.sfn.start_execution(stateMachineArn=long, input="{}")["executionArn"]
        try:
            self.sfn.send_task_success(taskToken="no-such-token", output="{}")
            raise AssertionError("SendTaskSuccess accepted a token no execution issued")
        except self.sfn.exceptions.InvalidToken:
            pass
        self.sfn.stop_execution(executionArn=arn)
        ended = self.finished(arn)
        types = [event["type"] for event in self.history(arn)]
        expect(ended["status"] == "ABORTED", f"status {ended['status']}: the stop was dropped")
        expect(types[0] == "ExecutionStarted" and types[-1] == "ExecutionAborted", f"history {types[:3]}...{types[-3:]}")
        return f"{ended['status']}: {len(types)} events, {types[0]} ... {types[-1]}"

    # -- 42: RedriveExecution ---------------------------------------------- #
    def _redrive_machine(self, table: str) -> str:
        """Count (a side effect once per run) then a Parallel: Tally counts in one
        branch; the other pauses (so Tally has ended) and Gate fails until the
        test opens it (its outage)."""
        def update(key: str, expression: str, **extra: Any) -> dict:
            return {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:updateItem",
                "Parameters": {
                    "TableName": table,
                    "Key": {"id": {"S": key}},
                    "UpdateExpression": expression,
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                    "ReturnValues": "UPDATED_NEW",
                    **extra,
                },
                "ResultSelector": {"runs.$": "$.Attributes.runs.N"},
            }

        return self.machine(
            "redrive",
            {
                "StartAt": "Count",
                "States": {
                    "Count": {**update("count", "ADD runs :one"), "ResultPath": "$.count", "Next": "Both"},
                    "Both": {
                        "Type": "Parallel",
                        "Branches": [
                            {"StartAt": "Tally", "States": {"Tally": {**update("tally", "ADD runs :one"), "End": True}}},
                            {
                                "StartAt": "Pause",
                                "States": {"Pause": {"Type": "Wait", "Seconds": 3, "Next": "Gate"}, "Gate": {**update("gate", "ADD runs :one", ConditionExpression="attribute_exists(#open)", ExpressionAttributeNames={"#open": "open"}), "End": True}},
                            },
                        ],
                        "ResultPath": "$.branches",
                        "Next": "Done",
                    },
                    "Done": {
                        "Type": "Pass",
                        "Parameters": {
                            "branches.$": "$.branches",
                            "count.$": "$.count",
                            "input.$": "$$.Execution.Input",
                            "redriveCount.$": "$$.Execution.RedriveCount",
                        },
                        "End": True,
                    },
                },
            },
        )

    def check_redrive_execution(self) -> str:
        """A FAILED execution redriven after its outage goes on from the state
        that failed with the same input and context: a state that succeeded is
        not run again, nor is a Parallel branch that ended; a redrive that fails
        again can be redriven again; the history goes on with ExecutionRedriven;
        DescribeExecution and ListExecutions say how often and whether it can be."""
        table = self.table_keyed_by("redrive")
        arn = self._redrive_machine(table)
        execution_arn = self.sfn.start_execution(stateMachineArn=arn, input=json.dumps({"order": "o-1"}))["executionArn"]
        first = self.finished(execution_arn)
        expect(first["status"] == "FAILED" and first["error"] == "DynamoDB.ConditionalCheckFailedException", f"first run: {first['status']} {first.get('error')}")
        expect(first.get("redriveCount") == 0 and first.get("redriveStatus") == "REDRIVABLE", f"before any redrive: {first.get('redriveCount')} {first.get('redriveStatus')}")

        self.sfn.redrive_execution(executionArn=execution_arn)  # the outage goes on: fails again
        second = self.finished(execution_arn)
        expect(second["status"] == "FAILED" and second.get("redriveCount") == 1 and second.get("redriveStatus") == "REDRIVABLE", f"second run: {second}")

        self.dynamodb.put_item(TableName=table, Item={"id": {"S": "gate"}, "open": {"BOOL": True}})
        redriven = self.sfn.redrive_execution(executionArn=execution_arn, clientToken="after-the-outage")
        again = self.sfn.redrive_execution(executionArn=execution_arn, clientToken="after-the-outage")
        expect(again["redriveDate"] == redriven["redriveDate"], "the same clientToken redrove twice")
        third = self.finished(execution_arn)
        expect(third["status"] == "SUCCEEDED", f"third run: {third['status']} {third.get('error')} {third.get('cause')}")
        expect(third["startDate"] == first["startDate"] and third["executionArn"] == execution_arn, "not the same execution")
        expect(third.get("redriveCount") == 2 and third.get("redriveDate") and third.get("redriveStatus") == "NOT_REDRIVABLE", f"after: {third}")
        expect(third.get("redriveStatusReason") == "Execution is SUCCEEDED and cannot be redriven.", third.get("redriveStatusReason"))

        output = json.loads(third["output"])
        runs = {key: self.dynamodb.get_item(TableName=table, Key={"id": {"S": key}})["Item"]["runs"]["N"] for key in ("count", "tally", "gate")}
        expect(runs == {"count": "1", "tally": "1", "gate": "1"}, f"side effects per state: {runs}")
        expect(output == {"branches": [{"runs": "1"}, {"runs": "1"}], "count": {"runs": "1"}, "input": {"order": "o-1"}, "redriveCount": 2}, f"output {output}")

        events = self.history(execution_arn)
        expect([e["id"] for e in events] == list(range(1, len(events) + 1)), "event ids not consecutive")
        redrives = [e for e in events if e["type"] == "ExecutionRedriven"]
        expect([e["executionRedrivenEventDetails"]["redriveCount"] for e in redrives] == [1, 2], f"ExecutionRedriven events {redrives}")
        expect(all(e["previousEventId"] == e["id"] - 1 and events[e["id"] - 2]["type"] == "ExecutionFailed" for e in redrives), "ExecutionRedriven follows ExecutionFailed")
        entered = [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]
        # The branches start side by side (Tally and Pause in either order); the redrives enter only what failed.
        first_run, redriven = entered[:5], entered[5:]
        expect(first_run[:2] == ["Count", "Both"] and sorted(first_run[2:]) == ["Gate", "Pause", "Tally"], f"states entered {entered}")
        expect(redriven == ["Both", "Gate", "Both", "Gate", "Done"], f"states entered {entered}")
        expect(events[-1]["type"] == "ExecutionSucceeded", events[-1]["type"])

        listed = {
            name: [e["executionArn"] for e in self.sfn.list_executions(stateMachineArn=arn, redriveFilter=name)["executions"]]
            for name in ("REDRIVEN", "NOT_REDRIVEN")
        }
        expect(listed == {"REDRIVEN": [execution_arn], "NOT_REDRIVEN": []}, f"ListExecutions redriveFilter {listed}")
        return f"FAILED, redriven twice (once into the outage), SUCCEEDED; Count, Tally and Pause ran once; {len(events)} events"

    def check_redrive_map_iterations(self) -> str:
        """An inline Map redriven runs only the items that did not finish: an
        item that ended keeps its output, the one that failed resumes at the
        state it failed in, one never started starts (MaxConcurrency 1: item 0
        ends, item 1 fails at its Gate, item 2 never starts)."""
        table = self.table_keyed_by("redrive-map")
        for index in (0, 2):
            self.dynamodb.put_item(TableName=table, Item={"id": {"S": f"gate-{index}"}, "open": {"BOOL": True}})

        def update(prefix: str, result_path: str, **extra: Any) -> dict:
            return {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:updateItem",
                "Parameters": {
                    "TableName": table,
                    "Key": {"id": {"S.$": f"States.Format('{prefix}-{{}}', $.index)"}},
                    "UpdateExpression": "ADD runs :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                    "ReturnValues": "UPDATED_NEW",
                    **extra,
                },
                "ResultSelector": {"runs.$": "$.Attributes.runs.N"},
                "ResultPath": result_path,
            }

        arn = self.machine(
            "redrive-map",
            {
                "StartAt": "Each",
                "States": {
                    "Each": {
                        "Type": "Map",
                        "ItemsPath": "$.items",
                        "MaxConcurrency": 1,
                        "ItemSelector": {"index.$": "$$.Map.Item.Value"},
                        "ItemProcessor": {
                            "ProcessorConfig": {"Mode": "INLINE"},
                            "StartAt": "Tick",
                            "States": {
                                "Tick": {**update("tick", "$.tick"), "Next": "Gate"},
                                "Gate": {**update("gate", "$.gate", ConditionExpression="attribute_exists(#open)", ExpressionAttributeNames={"#open": "open"}), "End": True},
                            },
                        },
                        "End": True,
                    },
                },
            },
        )
        execution_arn = self.sfn.start_execution(stateMachineArn=arn, input=json.dumps({"items": ["0", "1", "2"]}))["executionArn"]
        first = self.finished(execution_arn)
        expect(first["status"] == "FAILED", f"first run: {first['status']}")
        self.dynamodb.put_item(TableName=table, Item={"id": {"S": "gate-1"}, "open": {"BOOL": True}})
        self.sfn.redrive_execution(executionArn=execution_arn)
        redriven = self.finished(execution_arn)
        expect(redriven["status"] == "SUCCEEDED", f"redriven: {redriven['status']} {redriven.get('error')} {redriven.get('cause')}")
        runs = {key: self.dynamodb.get_item(TableName=table, Key={"id": {"S": key}})["Item"]["runs"]["N"] for key in ("tick-0", "tick-1", "tick-2", "gate-0", "gate-1", "gate-2")}
        expect(set(runs.values()) == {"1"}, f"side effects per item and state: {runs}")
        output = json.loads(redriven["output"])
        expect([item["index"] for item in output] == ["0", "1", "2"] and all(item["tick"] == {"runs": "1"} for item in output), f"output {output}")
        events = self.history(execution_arn)
        entered = [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]
        expect(entered == ["Each", "Tick", "Gate", "Tick", "Gate", "Each", "Gate", "Tick", "Gate"], f"states entered {entered}")
        indexes = [e["mapIterationStartedEventDetails"]["index"] for e in events if e["type"] == "MapIterationStarted"]
        expect(indexes == [0, 1, 1, 2], f"iterations started {indexes}")
        return "item 0 kept, item 1 resumed at Gate, item 2 started; every state ran once per item"

    def check_redrive_refusals(self) -> str:
        """RedriveExecution refuses what AWS refuses, by AWS's error names; a
        stopped (ABORTED) execution is redriven from the state it was stopped in."""
        codes = {}

        def code_of(call: Callable[[], Any]) -> str:
            try:
                call()
            except ClientError as err:
                return err.response["Error"]["Code"]
            return "accepted"

        waiting = self.machine("redrive-running", {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 2, "End": True}}})
        running = self.sfn.start_execution(stateMachineArn=waiting)["executionArn"]
        wait_for("the Wait state entered", lambda: any(e["type"] == "WaitStateEntered" for e in self.history(running)))
        codes["running"] = code_of(lambda: self.sfn.redrive_execution(executionArn=running))
        self.sfn.stop_execution(executionArn=running)
        succeeded = self.machine("redrive-succeeded", {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
        done = self.finished(self.sfn.start_execution(stateMachineArn=succeeded)["executionArn"])["executionArn"]
        codes["succeeded"] = code_of(lambda: self.sfn.redrive_execution(executionArn=done))
        codes["unknown"] = code_of(lambda: self.sfn.redrive_execution(executionArn=f"{done[: done.rindex(':')]}:no-such-execution"))
        express = self.machine("redrive-express", {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Nope"}}}, "EXPRESS")
        failed_express = self.sfn.start_sync_execution(stateMachineArn=express)["executionArn"]
        codes["express"] = code_of(lambda: self.sfn.redrive_execution(executionArn=failed_express))
        expected = {"running": "ExecutionNotRedrivable", "succeeded": "ExecutionNotRedrivable", "unknown": "ExecutionDoesNotExist", "express": "ExecutionNotRedrivable"}
        expect(codes == expected, f"codes {codes}")
        aborted = self.finished(running)
        expect(aborted["status"] == "ABORTED" and aborted.get("redriveStatus") == "REDRIVABLE", f"a stopped execution: {aborted.get('status')} {aborted.get('redriveStatus')}")
        self.sfn.redrive_execution(executionArn=running)
        resumed = self.finished(running)
        entered = [e["stateEnteredEventDetails"]["name"] for e in self.history(running) if "stateEnteredEventDetails" in e]
        expect(resumed["status"] == "SUCCEEDED" and resumed.get("redriveCount") == 1 and entered == ["Wait", "Wait"], f"the stopped execution redriven: {resumed['status']} {entered}")
        return ", ".join(f"{k}: {v}" for k, v in codes.items()) + "; a stopped execution redriven from its Wait: SUCCEEDED"

def _owner_states(events: list[dict]) -> dict[int, str]:
    """Event id -> name of the state whose evaluation recorded it (following
    previousEventId back to a *StateEntered event)."""
    by_id = {e["id"]: e for e in events}
    owners: dict[int, str] = {}
    for event in events:
        current, seen = event, 0
        while current is not None and seen < len(events):
            entered = current.get("stateEnteredEventDetails")
            if entered:
                owners[event["id"]] = entered["name"]
                break
            current, seen = by_id.get(current["previousEventId"]), seen + 1
    return owners


def sibling_shape(events: list[dict]) -> str:
    owners = _owner_states(events)
    sibling = [e["type"] for e in events if owners.get(e["id"]) in ("Reserve", "Confirm")]
    return "/".join(t.replace("Task", "").replace("State", "") for t in sibling)


def failed_parallel_problems(events: list[dict]) -> list[str]:
    """Why a ChargeAndReserve history with a declined charge is not what AWS
    records (empty when it is): every branch starts; a state's task events
    come in order (no TaskFailed without TaskScheduled); once the Parallel
    fails nothing more comes from the branches: each Task state still in
    progress gets one TaskStateAborted and ParallelStateFailed follows, all
    pointing at the failure; then the Catch route and nothing after the end."""
    problems: list[str] = []
    types = [e["type"] for e in events]
    index = {t: i for i, t in reversed(list(enumerate(types)))}
    for required in ("ParallelStateStarted", "TaskFailed", "ParallelStateFailed", "ParallelStateExited"):
        if required not in index:
            return [f"unfinished: no {required} in {types}"]
    start, failed_at = index["ParallelStateStarted"], types.index("ParallelStateFailed")
    owners = _owner_states(events)
    charge_failed = [e for e in events[start:failed_at] if e["type"] == "TaskFailed" and owners.get(e["id"]) == "Charge"]
    if len(charge_failed) != 1:
        return [f"failure: {len(charge_failed)} TaskFailed for Charge"]
    failure_id = charge_failed[0]["id"]

    branch_events = [e for e in events[start + 1 : failed_at] if e["type"] != "TaskStateAborted"]
    aborted = [e for e in events[start + 1 : failed_at] if e["type"] == "TaskStateAborted"]
    tail = events[failed_at - len(aborted) : failed_at]
    if aborted != tail:
        problems.append("spurious: branch events after the first TaskStateAborted")
    per_state: dict[str, list[str]] = {}
    for event in branch_events:
        owner = owners.get(event["id"])
        if owner is None:
            problems.append(f"spurious: event {event['id']} {event['type']} belongs to no entered state")
            continue
        per_state.setdefault(owner, []).append(event["type"])
    grammar = {
        "Charge": [["TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed"]],
        "Reserve": [
            ["TaskStateEntered", "TaskScheduled", "TaskStarted"],
            ["TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded"],
            ["TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited"],
        ],
        "Confirm": [["PassStateEntered", "PassStateExited"]],
    }
    for state, allowed in grammar.items():
        seen = per_state.get(state)
        if seen is None:
            if state != "Confirm":
                problems.append(f"never started: {state}")
        elif seen not in allowed:
            kind = "cut mid-decision" if seen == allowed[-1][: len(seen)] or seen == ["TaskStateEntered"] else "spurious"
            problems.append(f"{kind}: {state} {seen}")
    if "Confirm" in per_state and per_state.get("Reserve", [])[-1:] != ["TaskStateExited"]:
        problems.append("spurious: Confirm entered before Reserve exited")
    in_progress = [s for s in ("Charge", "Reserve") if s in per_state and per_state[s][-1] != "TaskStateExited"]
    if len(aborted) != len(in_progress):
        problems.append(f"aborted: {len(aborted)} TaskStateAborted for Task states in progress {in_progress}")
    for event in aborted + [events[failed_at]]:
        if event["previousEventId"] != failure_id:
            problems.append(f"links: {event['type']} {event['id']} points at {event['previousEventId']}, not the failure {failure_id}")
    after = types[failed_at + 1 :]
    if after != ["ParallelStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]:
        problems.append(f"spurious: after ParallelStateFailed {after}")
    elif events[failed_at + 1]["previousEventId"] != events[failed_at]["id"]:
        problems.append("links: ParallelStateExited does not point at ParallelStateFailed")
    elif events[failed_at + 2]["stateEnteredEventDetails"]["name"] != "Declined":
        problems.append("route: Catch route not taken")
    return problems
