#!/usr/bin/env python3
"""Serve moto (all services) with run-time fixes for its Step Functions engine.

Usage (started by the Node local stack):

    MOTO_PORT=<front_port> SFN_MOCK_CONFIG=<optional path> \
        python3 scripts/local-stack/moto_launcher.py --host 127.0.0.1 --port <port>

MOTO_PORT is *not* the listen port: moto's Step Functions engine sends every
service call a state machine makes (Lambda, DynamoDB, SNS, SQS, EventBridge,
Step Functions itself...) to http://localhost:$MOTO_PORT, which in our stack is
a Node front proxying back to this server. It defaults to --port.

Targets moto 5.2.1 on Python 3.11. Nothing in site-packages is edited; every fix
below is a monkeypatch applied before the server starts (one function each, in
this order):

  1. enable_state_machine_execution - run state machines (moto only records
     them by default).
     fix_parser_error_codes - the engine's own errors (InvalidDefinition,
     InvalidExecutionInput...) reached clients with an empty error code.
  2. fix_state_machine_deepcopy - moto#10077: every StartExecution after the
     first in an account/region was a 500 "cannot pickle '_thread.RLock'".
  3. default_execution_name - StartExecution without `name` named the
     execution "None" (the next one collided); use a uuid4 like AWS.
  4. cache_jsonpath_parsers - jsonpath-ng rebuilt its PLY parser for every
     path evaluation (most of an execution's CPU).
     cache_definition_parse_trees - after that, ANTLR re-parsing the ASL
     definition for every execution was ~90% of what was left.
  5. support_express_and_sync_execution - keep `type: EXPRESS`; implement
     StartSyncExecution (EXPRESS only) with the real output shape.
  6. deliver_events_to_state_machines - EventBridge rules targeting a state
     machine raised NotImplementedError (500 on PutEvents); start an execution.
     deliver_events_to_lambda_functions - the same for a Lambda target; invoke
     it asynchronously through the front at MOTO_PORT.
  7. fix_sfn_start_execution_integration - arn:aws:states:::states:
     startExecution(.sync, .sync:2) failed with KeyError('StateMachineArn'):
     normalise ASL-cased parameters/responses like LocalStack does.
     fix_describe_execution_output_encoding - DescribeExecution was a 500 when
     an execution output held a datetime (e.g. aws-sdk integrations).
  8. support_mock_config - AWS Step Functions Local mock configs:
     SFN_MOCK_CONFIG=<file> and StartExecution on `stateMachineArn#TestCase`.
     keep_mocked_service_errors - a mocked Throw on a service-integration
     Task reached Catch as the service's generic error, not the mocked one.
     mock_states_errors - a mocked Throw of a States.* error (States.Timeout
     for a task token nobody returned) failed with States.Runtime "Custom
     Error Names MUST NOT begin with the prefix 'States.'".
  9. fix_send_task_failure_cause - SendTaskFailure dropped `cause`.
     fix_singleton_array_paths - `$[0].x` (a definite path through an array
     index) returned a one-element list instead of the value.
 10. stop_parallel_branches_like_aws - a failing Parallel branch stopped its
     siblings wherever they were (spurious and missing events); stop them and
     record the abort as AWS does. stop_map_iterations_like_aws - the same
     for an inline Map's iterations.
 11. complete_mocked_task_failures, quiet_expected_failure_logs,
     explain_unknown_mock_test_cases - mocked failures' events and logs; say
     why a mock test case cannot run.
 12. reuse_engine_boto_clients - the engine built a new boto3 client for every
     service call a Task made; build one per region and service.
     share_evaluation_programs - every execution rebuilt the definition's
     evaluation components; build them once per definition and share them.
     dispatch_engine_calls_in_process - a Task's DynamoDB, EventBridge, SQS
     and Step Functions calls went out over HTTP and back in; hand them to
     moto's backends in process (Lambda and SNS still go to MOTO_PORT).
     cache_request_routing_lookups - moto's server listed its package
     directory and inspected the response class on every request.
 13. scheduled_rules_match_no_events - a scheduled rule (no EventPattern)
     received every event on its bus; with a Lambda target it raised, and S3's
     EventBridge notifications stopped there, reaching no later rule.
     pascal_case_aws_sdk_error_names - an aws-sdk integration's error was
     `textract.UnsupportedDocumentException`; AWS names it `Textract.…`.
 14. serialize_dynamodb_writes - two concurrent conditional writes could both
     pass their condition (moto checks, then writes, on request threads).
     serialize_attribute_values_directly - every DynamoDB item was serialized
     by walking botocore's shapes, ~0.05 ms per attribute value.
 15. DynamoDB at webhook volume (CPU per request, measured):
     look_up_account_backends_without_lock - every request took one
     process-wide lock twice to find backends that already existed.
     compare_key_values_cheaply - Query/Scan sorted every item by converting
     both keys in every comparison.
     project_top_level_attributes_directly - a ProjectionExpression converted
     the whole item to JSON and back per projected name.
     reuse_parsed_update_expressions - each UpdateItem parsed its expression
     twice and deep-copied the tree the generic way.
     back_up_only_the_items_a_transaction_touches - TransactWriteItems
     deep-copied every table it wrote to, so it slowed as tables grew.
     keep_alive_request_handler (the server, not moto) - werkzeug closed the
     connection after every response: a new connection and thread per request.
 16. attribute_engine_calls_to_their_roles - the engine made every Task's
     calls with one set of credentials: no role was ever checked. A Task's
     calls now carry its state machine and role to the front, which holds
     them to the role (LOCAL_IAM); calls served in process are asked about
     first, and EventBridge deliveries too.
 17. support_http_task - the HTTP Task (arn:aws:states:::http:invoke) with an
     EventBridge connection's credentials, AWS's result shape and error names.
 18. support_redrive_execution - RedriveExecution was missing (500): a failed
     execution goes on from the state it did not finish (only unfinished
     Parallel branches and Map items run again), with AWS's history event,
     Describe/List fields and refusals.

PATCHES.md next to this file has each patch's reason and smallest repro.

Environment: MOTO_PORT (see above), SFN_MOCK_CONFIG (patch 11), LOCAL_IAM
(enforce or log: patch 36 asks the front about in-process calls; default off),
MOTO_LAUNCHER_LOG_LEVEL (default WARNING; INFO adds werkzeug's access log),
MOTO_LAUNCHER_SKIP_PATCHES=name,name (leave patches out; for measurements and
debugging only). launcher_checks.py next to this file proves each patch (pytest: test_launcher.py).
"""

from __future__ import annotations

import argparse
import copy
import datetime
import functools
import json
import logging
import math
import os
import re
import signal
import sys
import threading
import time
import uuid
from typing import Any, Callable, Iterator

LOG = logging.getLogger("moto_launcher")

# The thread starting an execution hands the mock test case to the execution
# worker it creates (see support_mock_config).
_START_CONTEXT = threading.local()


# --------------------------------------------------------------------------- #
# Execution on (patches 1, 2)
# --------------------------------------------------------------------------- #
def enable_state_machine_execution() -> None:
    """moto only records executions unless this user-config flag is set."""
    from moto.core.config import default_user_config

    default_user_config["stepfunctions"] = {"execute_state_machine": True}


def fix_parser_error_codes() -> None:
    """The engine's exceptions (parser/api.py: InvalidExecutionInput,
    InvalidDefinition, ...) declare LocalStack-style `code`/`status_code`, but
    moto's AWSError reads TYPE/STATUS, so clients got a 400 with an empty error
    code (and raising one without a message was a TypeError, i.e. a 500)."""
    from moto.core.exceptions import AWSError
    from moto.stepfunctions.parser import api

    for cls in vars(api).values():
        if not (isinstance(cls, type) and issubclass(cls, AWSError) and cls is not AWSError):
            continue
        code = cls.__dict__.get("code")
        if isinstance(code, str):
            cls.TYPE = code
            cls.STATUS = cls.__dict__.get("status_code", 400)
        if "__init__" not in cls.__dict__:

            def __init__(self, message: str = "", *args: Any, **kwargs: Any) -> None:
                AWSError.__init__(self, message or type(self).__name__, *args, **kwargs)

            cls.__init__ = __init__


# --------------------------------------------------------------------------- #
# moto#10077: deepcopy of the state machine (patch 3)
# --------------------------------------------------------------------------- #
def fix_state_machine_deepcopy() -> None:
    """StepFunctionsParserBackend.start_execution deep-copies the state machine.
    After the first execution, `executions` holds running Execution objects
    (threads, locks) and `backend` holds the whole backend (RLocks), so every
    later StartExecution answered 500 "cannot pickle '_thread.RLock'". The clone
    only needs a frozen copy of the definition/config: share `backend`, start
    with no executions, and share anything else that cannot be copied."""
    from moto.stepfunctions.models import StateMachineInstance

    shared = {"backend"}
    not_copied = {"executions"}

    def __deepcopy__(self: Any, memo: dict) -> Any:
        cls = self.__class__
        clone = cls.__new__(cls)
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            if key in not_copied:
                setattr(clone, key, [])
            elif key in shared:
                setattr(clone, key, value)
            else:
                try:
                    setattr(clone, key, copy.deepcopy(value, memo))
                except TypeError:  # locks, threads, clients...: share them
                    setattr(clone, key, value)
        return clone

    StateMachineInstance.__deepcopy__ = __deepcopy__


# --------------------------------------------------------------------------- #
# Default execution name (patch 4)
# --------------------------------------------------------------------------- #
def default_execution_name() -> None:
    """The parser backend uses `name` as is, so an unnamed execution was
    called "None" and the second unnamed one collided (ExecutionAlreadyExists).
    AWS generates a uuid."""
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    original = StepFunctionsParserBackend.start_execution

    @functools.wraps(original)
    def start_execution(self, state_machine_arn, name=None, *args, **kwargs):
        if not name:
            name = str(uuid.uuid4())
        return original(self, state_machine_arn, name, *args, **kwargs)

    StepFunctionsParserBackend.start_execution = start_execution


# --------------------------------------------------------------------------- #
# jsonpath-ng parser cache (patches 5, 6)
# --------------------------------------------------------------------------- #
def cache_jsonpath_parsers() -> None:
    """jsonpath_ng.parse()/jsonpath_ng.ext.parse() build a new PLY lexer and
    parser for every call, and the engine calls them for every path of every
    state. Compiled paths are immutable expression trees, so cache them by
    path string. Building the parser is PLY generating its LALR tables, ~16 ms;
    the parse itself is ~0.5 ms. Executions starting together all missed the
    cache for the same paths and each built one (68 builds for 28 paths at
    the start of the orders benchmark), so each grammar's parser is built
    once and parses under a lock (PLY keeps its parse state on the parser;
    each parse starts it afresh, a failed one included)."""
    import jsonpath_ng
    import jsonpath_ng.ext
    from jsonpath_ng.ext.parser import ExtendedJsonPathParser
    from jsonpath_ng.parser import JsonPathParser
    from moto.stepfunctions.parser.asl.component.common.path import result_path
    from moto.stepfunctions.parser.asl.utils import json_path

    def parse_with_one(grammar: type, uncached: Callable[..., Any]) -> Callable[..., Any]:
        parser: Any = None
        lock = threading.Lock()

        @functools.lru_cache(maxsize=4096)
        def parse_path(path: str) -> Any:
            nonlocal parser
            with lock:
                if parser is None:
                    parser = grammar()
                return parser.parse(path)

        def parse(path: str, debug: bool = False) -> Any:
            return uncached(path, debug=True) if debug else parse_path(path)

        return parse

    cached_parse = parse_with_one(JsonPathParser, lambda path, debug: JsonPathParser(debug=debug).parse(path))
    cached_ext_parse = parse_with_one(ExtendedJsonPathParser, jsonpath_ng.ext.parse)

    json_path.parse = cached_ext_parse  # extract_json (every $.path read)
    result_path.parse = cached_parse  # ResultPath
    jsonpath_ng.parse = cached_parse  # late importers (e.g. moto.events)
    jsonpath_ng.ext.parse = cached_ext_parse


def cache_definition_parse_trees() -> None:
    """With the jsonpath cache in place, ~90% of an execution's CPU is ANTLR
    lexing/parsing the ASL definition, which every execution (and every
    Create/UpdateStateMachine) redoes. Cache the ANTLR parse tree per definition
    string; the Preprocessor only reads the tree, and still builds fresh
    evaluation components for every execution, so no run-time state is shared.
    Definitions with syntax errors are not cached (the exception propagates)."""
    from moto.stepfunctions.parser.asl.parse import asl_parser

    parser_cls = asl_parser.AmazonStateLanguageParser

    @functools.lru_cache(maxsize=512)
    def parse_tree(definition: str):
        listener = asl_parser.SyntaxErrorListener()
        lexer = asl_parser.ASLLexer(asl_parser.InputStream(definition))
        parser = asl_parser.ASLParser(asl_parser.CommonTokenStream(lexer))
        parser.removeErrorListeners()
        parser.addErrorListener(listener)
        tree = parser.state_machine()
        if listener.errors:
            raise asl_parser.ASLParserException(errors=listener.errors)
        return tree

    def parse(definition: str):
        tree = parse_tree(definition)
        program = asl_parser.Preprocessor().visit(tree)
        return program, tree

    parser_cls.parse = staticmethod(parse)


# --------------------------------------------------------------------------- #
# EXPRESS machines and StartSyncExecution (patch 7)
# --------------------------------------------------------------------------- #
SYNC_EXECUTION_TIMEOUT_SECONDS = 300  # AWS: express executions last <= 5 min


def _publish_execution_status_last() -> None:
    """moto sets exec_status before output/error/cause when an execution ends,
    so a poller that sees SUCCEEDED could still read output=None. Publish the
    status last."""
    from moto.stepfunctions.parser.api import ExecutionStatus
    from moto.stepfunctions.parser.asl.eval.program_state import (
        ProgramEnded,
        ProgramError,
        ProgramStopped,
        ProgramTimedOut,
    )
    from moto.stepfunctions.parser.backend.execution import (
        BaseExecutionWorkerCommunication,
    )

    def _reflect_execution_status(self) -> None:
        execution = self.execution
        state = execution.exec_worker.env.program_state()
        execution.stop_date = datetime.datetime.now(tz=datetime.timezone.utc)
        if isinstance(state, ProgramEnded):
            execution.output = execution.exec_worker.env.states.get_input()
            status = ExecutionStatus.SUCCEEDED
        elif isinstance(state, ProgramStopped):
            status = ExecutionStatus.ABORTED
        elif isinstance(state, ProgramError):
            execution.error = state.error.get("error")
            execution.cause = state.error.get("cause")
            status = ExecutionStatus.FAILED
        elif isinstance(state, ProgramTimedOut):
            status = ExecutionStatus.TIMED_OUT
        else:
            raise RuntimeWarning(
                f"Execution ended with unsupported ProgramState type '{type(state)}'."
            )
        execution.exec_status = status

    BaseExecutionWorkerCommunication._reflect_execution_status = (
        _reflect_execution_status
    )


def support_express_and_sync_execution() -> None:
    """CreateStateMachine ignored `type`, so every machine was STANDARD, and
    StartSyncExecution was not implemented (500). Keep the type, and answer
    StartSyncExecution for EXPRESS machines by running a normal execution (so
    List/DescribeExecution and GetExecutionHistory keep working) and waiting
    for it to end."""
    from moto.core.exceptions import AWSError
    from moto.core.responses import ActionResult
    from moto.stepfunctions.exceptions import ValidationException
    from moto.stepfunctions.models import StateMachineVersion
    from moto.stepfunctions.parser.api import ExecutionStatus
    from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
    from moto.stepfunctions.responses import StepFunctionResponse

    _publish_execution_status_last()

    original_create = StepFunctionResponse.create_state_machine

    @functools.wraps(original_create)
    def create_state_machine(self):
        sm_type = self._get_param("type") or "STANDARD"
        if sm_type not in ("STANDARD", "EXPRESS"):
            raise ValidationException(
                f"1 validation error detected: Value '{sm_type}' at 'type' failed "
                "to satisfy constraint: Member must satisfy enum value set: "
                "[STANDARD, EXPRESS]"
            )
        result = original_create(self)
        arn = result.result["stateMachineArn"]
        state_machine = self.stepfunction_backend.describe_state_machine(arn)
        # `type` is what DescribeStateMachine reports, `sm_type` what the engine
        # and the Execution objects read.
        for instance in (state_machine, *state_machine.versions.values()):
            instance.type = sm_type
            instance.sm_type = sm_type
        return result

    # Versions published later (UpdateStateMachine publish=true) keep the type.
    original_version_init = StateMachineVersion.__init__

    @functools.wraps(original_version_init)
    def version_init(self, source, *args, **kwargs):
        original_version_init(self, source, *args, **kwargs)
        self.type = self.sm_type = getattr(source, "sm_type", "STANDARD")

    StateMachineVersion.__init__ = version_init

    def start_sync_execution(self):
        arn = self._get_param("stateMachineArn")
        name = self._get_param("name")
        execution_input = self._get_param("input", if_none="{}")
        trace_header = self._get_param("traceHeader")
        backend = self.stepfunction_backend
        state_machine = backend.describe_state_machine(arn.split("#", 1)[0])
        if getattr(state_machine, "sm_type", "STANDARD") != "EXPRESS":
            raise AWSError(
                "This operation is not supported by this type of state machine",
                exception_type="StateMachineTypeNotSupported",
                status=400,
            )
        execution = backend.start_execution(
            arn, name, execution_input, trace_header=trace_header
        )

        # Poll the execution object (no long fixed sleeps).
        deadline = time.monotonic() + SYNC_EXECUTION_TIMEOUT_SECONDS
        delay = 0.0005
        while execution.exec_status == ExecutionStatus.RUNNING:
            if time.monotonic() > deadline:
                execution.stop(
                    stop_date=datetime.datetime.now(tz=datetime.timezone.utc),
                    error="States.Timeout",
                    cause="StartSyncExecution waited too long",
                )
                break
            time.sleep(delay)
            delay = min(delay * 2, 0.01)

        status = execution.exec_status
        response: dict[str, Any] = {
            "executionArn": execution.execution_arn,
            "stateMachineArn": execution.state_machine_arn,
            "name": execution.name,
            "startDate": execution.start_date,
            "stopDate": execution.stop_date
            or datetime.datetime.now(tz=datetime.timezone.utc),
            "input": to_json_str(execution.input_data, separators=(",", ":")),
            "inputDetails": {"included": True},
        }
        if status == ExecutionStatus.SUCCEEDED:
            response["status"] = "SUCCEEDED"
            response["output"] = to_json_str(execution.output, separators=(",", ":"))
            response["outputDetails"] = {"included": True}
        elif status in (ExecutionStatus.TIMED_OUT, ExecutionStatus.RUNNING):
            response["status"] = "TIMED_OUT"
            response["error"] = execution.error or "States.Timeout"
            if execution.cause:
                response["cause"] = execution.cause
        else:  # FAILED, ABORTED
            response["status"] = "FAILED"
            if execution.error is not None:
                response["error"] = execution.error
            if execution.cause is not None:
                response["cause"] = execution.cause
        if trace_header:
            response["traceHeader"] = trace_header
        duration_ms = (response["stopDate"] - execution.start_date).total_seconds() * 1000
        response["billingDetails"] = {
            "billedMemoryUsedInMB": 64,
            "billedDurationInMilliseconds": max(100, int(math.ceil(duration_ms / 100)) * 100),
        }
        return ActionResult(response)

    StepFunctionResponse.create_state_machine = create_state_machine
    StepFunctionResponse.start_sync_execution = start_sync_execution


# --------------------------------------------------------------------------- #
# EventBridge -> Step Functions targets (patches 8, 35)
# --------------------------------------------------------------------------- #
def _iso_time(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    elif isinstance(value, (int, float)) or (
        isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value)
    ):
        moment = datetime.datetime.fromtimestamp(float(value), tz=datetime.timezone.utc)
    elif isinstance(value, str) and value:
        return value
    else:
        moment = datetime.datetime.now(tz=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _aws_event(rule: Any, original_event: dict) -> dict:
    """The event as AWS hands it to a target: `detail` an object, `time` ISO 8601."""
    event = {
        "version": original_event.get("version", "0"),
        "id": original_event.get("id") or str(uuid.uuid4()),
        "detail-type": original_event.get("detail-type"),
        "source": original_event.get("source"),
        "account": original_event.get("account") or rule.account_id,
        "time": _iso_time(original_event.get("time")),
        "region": original_event.get("region") or rule.region_name,
        "resources": original_event.get("resources", []),
        "detail": original_event.get("detail", {}),
    }
    if "replay-name" in original_event:  # archive replays carry it on AWS too
        event["replay-name"] = original_event["replay-name"]
    return event


def _target_input(target: dict, event: dict, original_event: dict) -> str:
    """A target's Input, InputPath or InputTransformer applied to the event, as JSON."""
    from jsonpath_ng.ext import parse as jsonpath_parse
    from moto.events.utils import EventTemplateParser

    if target.get("Input") is not None:
        return target["Input"]
    if target.get("InputPath"):
        matches = jsonpath_parse(target["InputPath"]).find(event)
        return json.dumps(matches[0].value if matches else None)
    transformer = target.get("InputTransformer")
    if transformer:
        transformed = EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=dict(event, **{"ingestion-time": original_event.get("ingestion-time", time.time())}),
        )
        return json.dumps(transformed)
    return json.dumps(event)


def _deliver_rule_targets_of_kind(is_kind, deliver) -> None:
    """Wraps Rule.send_to_targets: a matching event's targets that `is_kind`
    accepts go to `deliver(rule, target, payload)`, where `payload()` is the
    target's input (Input, InputPath, InputTransformer honoured); the rule's
    other targets go through the previous send_to_targets unchanged."""
    from moto.events.models import Rule

    original = Rule.send_to_targets

    def send_to_targets(self, original_event, transform_input=True):
        targets = list(self.targets)
        if not any(is_kind(t) for t in targets):
            return original(self, original_event, transform_input)
        if not self.event_pattern.matches_event(original_event):
            return None
        event = _aws_event(self, original_event)
        for target in targets:
            if is_kind(target):
                deliver(self, target, lambda target=target: (
                    _target_input(target, event, original_event) if transform_input else json.dumps(event)
                ))
        others = [t for t in targets if not is_kind(t)]
        if others:
            rule_view = copy.copy(self)  # shallow: do not mutate the shared rule
            rule_view.targets = others
            original(rule_view, original_event, transform_input)
        return None

    Rule.send_to_targets = send_to_targets


def deliver_events_to_state_machines() -> None:
    """Rule.send_to_targets raised NotImplementedError (500 on PutEvents) for
    `arn:aws:states:...:stateMachine:NAME` targets. Start an execution of that
    machine with the event (AWS shape, `detail` an object) as input. Input,
    InputPath and InputTransformer are honoured; other target types go through
    moto unchanged (unknown ones still raise)."""
    from moto.stepfunctions.responses import get_backend
    from moto.utilities.arns import parse_arn

    def is_state_machine(target: dict) -> bool:
        return target["Arn"].startswith("arn:") and ":states:" in target["Arn"] and (
            ":stateMachine:" in target["Arn"]
        )

    def start_execution(rule, target: dict, payload) -> None:
        arn = parse_arn(target["Arn"])
        try:
            backend = get_backend(arn.account or rule.account_id, arn.region or rule.region_name)
            backend.start_execution(target["Arn"], None, payload())
        except Exception as exc:  # AWS drops failed deliveries (or DLQs them)
            LOG.warning("EventBridge -> %s delivery failed: %r", target["Arn"], exc)

    _deliver_rule_targets_of_kind(is_state_machine, start_execution)


# Lambda answers an asynchronous invoke at once; EventBridge retries a delivery
# it could not hand over (AWS: up to 24 hours; here a few quick tries).
_LAMBDA_DELIVERY_ATTEMPTS = 4


def deliver_events_to_lambda_functions() -> None:
    """Rule.send_to_targets raised NotImplementedError (500 on PutEvents) for
    `arn:aws:lambda:...:function:NAME` targets. Invoke the function
    asynchronously (InvocationType Event, as EventBridge does) with the event
    (AWS shape) at http://localhost:$MOTO_PORT, where the local stack's front
    runs our handlers (moto's own Lambda needs Docker). PutEvents does not wait
    for the function. Input, InputPath and InputTransformer are honoured."""
    import urllib.error
    import urllib.parse
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="eventbridge-lambda")

    def is_function(target: dict) -> bool:
        return target["Arn"].startswith("arn:") and ":lambda:" in target["Arn"] and ":function:" in target["Arn"]

    def invoke(arn: str, payload: str) -> None:
        url = f"http://localhost:{os.environ['MOTO_PORT']}/2015-03-31/functions/{urllib.parse.quote(arn, safe='')}/invocations"
        for attempt in range(1, _LAMBDA_DELIVERY_ATTEMPTS + 1):
            request = urllib.request.Request(
                url, data=payload.encode(), method="POST",
                headers={"Content-Type": "application/json", "X-Amz-Invocation-Type": "Event"},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    if response.status in (200, 202):
                        return
                    problem = f"HTTP {response.status}"
            except (urllib.error.URLError, OSError) as exc:
                problem = repr(exc)
            if attempt < _LAMBDA_DELIVERY_ATTEMPTS:
                time.sleep(0.2 * 2**attempt)
        LOG.warning("EventBridge -> %s delivery failed after %d attempts: %s", arn, _LAMBDA_DELIVERY_ATTEMPTS, problem)

    _deliver_rule_targets_of_kind(is_function, lambda rule, target, payload: pool.submit(invoke, target["Arn"], payload()))


# --------------------------------------------------------------------------- #
# states:startExecution service integration (patches 9, 10)
# --------------------------------------------------------------------------- #
def fix_sfn_start_execution_integration() -> None:
    """moto stubbed StateTaskService._normalise_parameters/_normalise_response,
    which in LocalStack map ASL casing (StateMachineArn, Input, Name) to the
    boto API casing (stateMachineArn...) and back (ExecutionArn, StartDate...).
    Without it boto drops the parameters and the .sync resolvers fail with
    KeyError. Restore LocalStack's implementation for the Step Functions
    integration only (other integrations keep their current behaviour)."""
    import botocore.session
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
        StateTaskServiceSfn,
    )
    from moto.stepfunctions.parser.utils import camel_to_snake_case

    @functools.lru_cache(maxsize=None)
    def operation_shapes(service: str, action: str):
        """(input shape, output shape) of e.g. ("stepfunctions", "start_execution")."""
        model = botocore.session.get_session().get_service_model(service)
        for operation_name in model.operation_names:
            if camel_to_snake_case(operation_name) == action:
                operation = model.operation_model(operation_name)
                return operation.input_shape, operation.output_shape
        return None, None

    original_normalise_parameters = StateTaskServiceSfn._normalise_parameters

    def _normalise_parameters(self, parameters, boto_service_name=None, service_action_name=None):
        original_normalise_parameters(self, parameters, boto_service_name, service_action_name)
        service = self._get_boto_service_name(boto_service_name=boto_service_name)
        action = self._get_boto_service_action(service_action_name=service_action_name)
        input_shape, _ = operation_shapes(service, action)
        if input_shape is not None:
            self._to_boto_request(parameters, input_shape)

    def _normalise_response(self, response, boto_service_name=None, service_action_name=None):
        service = self._get_boto_service_name(boto_service_name=boto_service_name)
        action = self._get_boto_service_action(service_action_name=service_action_name)
        _, output_shape = operation_shapes(service, action)
        if output_shape is not None:
            self._from_boto_response(response, output_shape)
        if isinstance(response, dict):
            # boto parsed StartDate/StopDate into datetimes; Step Functions hands
            # them to the state as epoch milliseconds (plain JSON numbers).
            for key, value in response.items():
                if isinstance(value, datetime.datetime):
                    response[key] = int(value.timestamp() * 1000)

    StateTaskServiceSfn._normalise_parameters = _normalise_parameters
    StateTaskServiceSfn._normalise_response = _normalise_response


def fix_describe_execution_output_encoding() -> None:
    """StepFunctionResponse.describe_execution json.dumps() the execution
    output, a 500 when a task result holds datetimes (the engine keeps boto
    responses as parsed, e.g. aws-sdk integrations). Use the engine's own
    encoder (ISO dates), as it already does for history events and
    StartSyncExecution. `json.dumps` there is used for nothing else."""
    import types

    from moto.stepfunctions import responses
    from moto.stepfunctions.parser.asl.utils.encoding import to_json_str

    responses.json = types.SimpleNamespace(
        dumps=lambda obj, **_: to_json_str(obj), loads=json.loads
    )


# --------------------------------------------------------------------------- #
# Step Functions Local mock configs (patch 11)
# --------------------------------------------------------------------------- #
class _RawReturn:
    def __init__(self, payload: Any):
        self._payload = payload

    def model_dump(self) -> Any:  # what mock_config.py calls on pydantic models
        return copy.deepcopy(self._payload)


class _RawThrow:
    def __init__(self, raw: dict):
        self.Error = raw.get("Error")
        self.Cause = raw.get("Cause")


class _RawMockedResponse:
    def __init__(self, raw: dict):
        self.Return = _RawReturn(raw["Return"]) if "Return" in raw else None
        self.Throw = _RawThrow(raw["Throw"]) if "Throw" in raw else None
        if (self.Return is None) == (self.Throw is None):
            raise ValueError(f"a mocked response needs exactly one of Return/Throw: {raw}")


class _RawTestCase:
    def __init__(self, raw: dict):
        self.root = dict(raw)


class _RawStateMachine:
    def __init__(self, raw: dict):
        self.TestCases = {name: _RawTestCase(tc) for name, tc in raw.get("TestCases", {}).items()}


class _RawMockConfig:
    """Duck-typed stand-in for LocalStack's pydantic RawMockConfig."""

    def __init__(self, raw: dict):
        self.StateMachines = {
            name: _RawStateMachine(sm) for name, sm in raw.get("StateMachines", {}).items()
        }
        self.MockedResponses = {
            name: {rng: _RawMockedResponse(resp) for rng, resp in responses.items()}
            for name, responses in raw.get("MockedResponses", {}).items()
        }


def support_mock_config() -> None:
    """mock_config.load_mock_test_case_for was stubbed to None, and the backend
    used by the HTTP layer (parser/models.py, not provider.py) neither stripped
    `#TestCase` from the ARN nor gave the test case to the execution. Read
    SFN_MOCK_CONFIG on every start (tests may edit it), run the base machine,
    and give the test case to the execution worker; the engine's existing mock
    evaluation (lambda_eval_utils, state_task_service) does the rest."""
    from moto.stepfunctions.exceptions import InvalidName
    from moto.stepfunctions.parser.backend.execution import Execution
    from moto.stepfunctions.parser.mocking import mock_config
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    def load_mock_test_case_for(state_machine_name: str, test_case_name: str):
        path = os.environ.get("SFN_MOCK_CONFIG")
        if not path:
            LOG.warning("SFN_MOCK_CONFIG is not set; cannot load test case %s", test_case_name)
            return None
        try:
            with open(path, encoding="utf-8") as handle:
                raw = _RawMockConfig(json.load(handle))
            return mock_config._mock_test_case_from_raw(
                state_machine_name=state_machine_name,
                test_case_name=test_case_name,
                raw_mock_config=raw,
            )
        except Exception as exc:
            LOG.warning("mock config %s, test case %s: %s", path, test_case_name, exc)
            return None

    mock_config.load_mock_test_case_for = load_mock_test_case_for
    provider = sys.modules.get("moto.stepfunctions.parser.provider")
    if provider is not None:
        provider.load_mock_test_case_for = load_mock_test_case_for

    original_start = StepFunctionsParserBackend.start_execution

    @functools.wraps(original_start)
    def start_execution(self, state_machine_arn, name=None, *args, **kwargs):
        base_arn, _, case_name = state_machine_arn.partition("#")
        if not case_name:
            return original_start(self, state_machine_arn, name, *args, **kwargs)
        state_machine = self.describe_state_machine(base_arn)
        test_case = load_mock_test_case_for(state_machine.name, case_name)
        if test_case is None:
            raise InvalidName(
                f"Invalid mock test case name '{case_name}' "
                f"for state machine '{state_machine.name}'."
                "Either the test case is not defined or the mock configuration file "
                "could not be loaded. See logs for details."
            )
        _START_CONTEXT.mock_test_case = test_case
        try:
            return original_start(self, base_arn, name, *args, **kwargs)
        finally:
            _START_CONTEXT.mock_test_case = None

    original_worker = Execution._get_start_execution_worker

    def _get_start_execution_worker(self):
        worker = original_worker(self)
        test_case = getattr(_START_CONTEXT, "mock_test_case", None)
        if test_case is not None:
            worker._mock_test_case = test_case
            self.mock_test_case = test_case
        return worker

    StepFunctionsParserBackend.start_execution = start_execution
    Execution._get_start_execution_worker = _get_start_execution_worker


# --------------------------------------------------------------------------- #
# SendTaskFailure cause, singleton array paths (patches 12, 13, 14, 19)
# --------------------------------------------------------------------------- #
def fix_send_task_failure_cause() -> None:
    """StepFunctionResponse.send_task_failure read `error` but not `cause`, so
    the failure reached the execution without its cause."""
    from moto.core.responses import EmptyResult
    from moto.stepfunctions.responses import StepFunctionResponse

    def send_task_failure(self):
        self.stepfunction_backend.send_task_failure(
            self._get_param("taskToken"),
            error=self._get_param("error"),
            cause=self._get_param("cause"),
        )
        return EmptyResult()

    StepFunctionResponse.send_task_failure = send_task_failure


def keep_mocked_service_errors() -> None:
    """A mock-config Throw on a service-integration Task (DynamoDB, SNS, EventBridge,
    SQS...) reached Catch as that service's generic error, e.g.
    DynamoDB.AmazonDynamoDBException instead of the mocked
    DynamoDB.ConditionalCheckFailedException: each service's _from_error maps
    every non-ClientError, and the mocked FailureEventException is one. The
    base ExecutionState._from_error already passes it through; make the
    overrides do the same."""
    import moto.stepfunctions.parser.asl.component.state.exec.state_task.service as service_pkg
    import importlib
    import pkgutil
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEventException
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import StateTaskService

    for module_info in pkgutil.iter_modules(service_pkg.__path__):
        importlib.import_module(f"{service_pkg.__name__}.{module_info.name}")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for cls in {StateTaskService, *subclasses(StateTaskService)}:
        original = cls.__dict__.get("_from_error")
        if original is None:
            continue

        def _from_error(self, env, ex, _original=original):
            if isinstance(ex, FailureEventException):
                return ex.failure_event
            return _original(self, env, ex)

        cls._from_error = _from_error


def mock_states_errors() -> None:
    """Step Functions Local lets a mock Throw States.Timeout (how a test says
    "the task token never came back"); the engine built every mocked error as
    a CustomErrorName, which refuses the States. prefix. Build those as the
    engine's own StatesErrorName, so Catch/Retry on States.Timeout match."""
    from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import mock_eval_utils

    def error_name(name: str):
        if name.startswith("States."):
            return StatesErrorName.from_name(name)
        return CustomErrorName(name)

    mock_eval_utils.CustomErrorName = error_name


_INDEFINITE_PATH = re.compile(r"\*|\.\.|\?\(|:|,")


def fix_singleton_array_paths() -> None:
    """extract_json returns a list whenever the last match's parent was reached
    through an array index (a fix for filters, moto#7825), so `$[0].x` or
    `$.a[1].b` gave [value]. AWS returns a plain value for definite paths (no
    wildcard, slice, filter, union or deep scan); only those are changed."""
    from moto.stepfunctions.parser.asl.utils import json_path

    original = json_path.extract_json

    def extract_json(path: str, data: Any) -> Any:
        if not _INDEFINITE_PATH.search(path):
            matches = json_path.parse(path).find(data)
            if len(matches) == 1:
                return matches[0].value
        return original(path, data)

    # Importers bound the name at import time: rebind it everywhere.
    import moto.stepfunctions.parser.asl.parse.asl_parser  # noqa: F401  (loads the engine)

    for module in list(sys.modules.values()):
        if getattr(module, "extract_json", None) is original:
            module.extract_json = extract_json



# --------------------------------------------------------------------------- #
# A failing Parallel branch stops its siblings as AWS does (patch 15)
# --------------------------------------------------------------------------- #
# After these events a branch waits on something outside the engine (a service
# call, a timer, child branches), or a result from outside has just been
# recorded; AWS records nothing more for the branch until its next decision.
# Between any other two events the branch is inside one decision, which AWS
# never interrupts.
_BRANCH_IDLE_AFTER = frozenset(
    {
        "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskFailed", "TaskTimedOut",
        "TaskStartFailed", "TaskSubmitFailed",
        "LambdaFunctionStarted", "LambdaFunctionSucceeded", "LambdaFunctionFailed",
        "LambdaFunctionTimedOut", "LambdaFunctionStartFailed", "LambdaFunctionScheduleFailed",
        "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "ActivityFailed",
        "ActivityTimedOut", "ActivityScheduleFailed",
        "WaitStateEntered", "ParallelStateStarted", "MapStateStarted", "MapIterationStarted",
    }
)
# State types that AWS reports as aborted when a sibling branch fails while
# they are in progress (Pass, Choice, Succeed never wait; Fail never exits).
_ABORTABLE_STATE_TYPES = frozenset({"Task", "Map", "Parallel", "Wait"})
BRANCH_QUIESCE_TIMEOUT_SECONDS = 5.0


class _BranchGate:
    """What one evaluation of a Parallel's branches shares: which branch failed
    first (and its last event id), and, per branch, whether it has started,
    is inside a decision, has finished, and which of its states is open."""

    def __init__(self, branches: int):
        self.cond = threading.Condition()
        self.closed = False  # a branch failed: siblings may only finish their decision
        self.sealed = False  # the Parallel failed: nothing more from any branch
        self.failure: dict | None = None
        self.failure_event_id = 0
        self.started = [False] * branches
        self.busy = [False] * branches
        self.finished = [False] * branches
        self.open_state: list[str | None] = [None] * branches

    def admits(self, index: int) -> bool:
        if self.sealed:
            return False
        return not self.closed or self.busy[index] or not self.started[index]

    def quiet(self) -> bool:
        return all(
            finished or (started and not busy)
            for started, busy, finished in zip(self.started, self.busy, self.finished)
        )


class _GatedEventManager:
    """The event manager a Parallel branch (and everything nested in it)
    writes through: drops what AWS would never record once a sibling failed,
    and tracks the branch's progress for the gate."""

    def __init__(self, inner: Any, gate: _BranchGate, index: int, branch_context: Any):
        self._inner = inner
        self._gate = gate
        self._index = index
        self._branch_context = branch_context

    def add_event(self, context, event_type, *args, **kwargs):
        gate, index = self._gate, self._index
        name = str(getattr(event_type, "value", event_type))
        with gate.cond:
            if not gate.admits(index):
                return context.source_event_id
            event_id = self._inner.add_event(context, event_type, *args, **kwargs)
            gate.started[index] = True
            gate.busy[index] = not self._idle_after(name, context)
            if context is self._branch_context:  # the branch's own states, not nested ones
                if name.endswith("StateEntered"):
                    gate.open_state[index] = name[: -len("StateEntered")]
                elif name.endswith("StateExited"):
                    gate.open_state[index] = None
            gate.cond.notify_all()
            return event_id

    def _idle_after(self, name: str, context: Any) -> bool:  # noqa: ARG002 - a Map iteration's needs it
        return name in _BRANCH_IDLE_AFTER

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def stop_parallel_branches_like_aws() -> None:
    """When one branch of a Parallel failed, BranchesDecl called set_stop on
    its siblings from another thread, wherever they were. A sibling could be
    stopped before it started, between TaskSucceeded and TaskStateExited, or
    between TaskStateEntered and its resource evaluation: that evaluation was
    then skipped (EvalComponent.eval prunes stopped environments), the next
    `env.stack.pop()` took the state input instead of the resource, and the
    AttributeError ("'dict' object has no attribute 'region'") was recorded as
    a States.Runtime TaskFailed after the Parallel had already failed.

    AWS starts every branch, lets a sibling finish the decision it is in (up
    to its next wait: a service call, a timer), then records
    `<Type>StateAborted` for each branch state still in progress (the failed
    one included) and ParallelStateFailed, all pointing at the failure event,
    and nothing more from any branch. Do the same: every branch writes its
    events through a gate; the first failure closes it, the Parallel waits
    until every branch has started and is between decisions, seals the gate,
    stops the branches and writes the aborted events."""
    from moto.stepfunctions.parser.api import ExecutionFailedEventDetails, HistoryEventType
    from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import (
        CustomErrorName,
    )
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
        FailureEvent,
        FailureEventException,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branch_worker import (
        BranchWorker,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branches_decl import (
        BranchesDecl,
    )
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventHistoryContext
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramError
    from moto.utilities.collections import select_from_typed_dict

    class BranchEnd(BranchWorker.BranchWorkerComm):
        def __init__(self, gate: _BranchGate, index: int):
            self.gate = gate
            self.index = index

        def on_terminated(self, env) -> None:
            gate = self.gate
            with gate.cond:
                gate.finished[self.index] = True
                gate.busy[self.index] = False
                state = env.program_state()
                if isinstance(state, ProgramError) and not gate.closed:
                    gate.failure = select_from_typed_dict(
                        typed_dict=ExecutionFailedEventDetails, obj=state.error or {}
                    )
                    gate.failure_event_id = env.event_history_context.source_event_id
                    gate.closed = True
                gate.cond.notify_all()

    def _eval_body(self, env) -> None:
        input_value = env.stack.pop()
        gate = _BranchGate(len(self.programs))
        workers = []
        for index, program in enumerate(self.programs):
            frame = env.open_inner_frame()
            frame.states.reset(input_value=input_value)
            frame.event_manager = _GatedEventManager(
                frame.event_manager, gate, index, frame.event_history_context
            )
            workers.append(BranchWorker(branch_worker_comm=BranchEnd(gate, index), program=program, env=frame))
        for worker in workers:
            worker.start()

        with gate.cond:
            gate.cond.wait_for(lambda: gate.closed or all(gate.finished))
            if not gate.closed:
                gate.sealed = True
        if gate.failure is None:
            results = []
            for worker in workers:
                results.append(worker.env.states.get_input())
                env.close_frame(worker.env)
            env.stack.append(results)
            return

        with gate.cond:
            if not gate.cond.wait_for(gate.quiet, timeout=BRANCH_QUIESCE_TIMEOUT_SECONDS):
                LOG.warning("Parallel branches still busy %.0fs after a branch failed", BRANCH_QUIESCE_TIMEOUT_SECONDS)
            gate.sealed = True
            open_states = list(gate.open_state)
        stop_date = datetime.datetime.now(tz=datetime.timezone.utc)
        for worker in workers:
            worker.stop(stop_date=stop_date, cause=None, error=None)
            env.delete_frame(worker.env)  # no integrate: the branches' last ids are not the Parallel's

        failure_event_id = gate.failure_event_id
        for state_type in open_states:
            if state_type in _ABORTABLE_STATE_TYPES:
                env.event_manager.add_event(
                    context=EventHistoryContext(previous_event_id=failure_event_id),
                    event_type=HistoryEventType(f"{state_type}StateAborted"),
                )
        context = env.event_history_context
        context.source_event_id = failure_event_id
        context.last_published_event_id = max(context.last_published_event_id, failure_event_id)
        raise FailureEventException(
            failure_event=FailureEvent(
                env=env,
                error_name=CustomErrorName(error_name=gate.failure.get("error")),
                event_type=HistoryEventType.ExecutionFailed,
                event_details=EventDetails(executionFailedEventDetails=gate.failure),
            )
        )

    BranchesDecl._eval_body = _eval_body



# --------------------------------------------------------------------------- #
# A failing inline Map iteration stops its siblings as AWS does (patch 38)
# --------------------------------------------------------------------------- #
class _IterationGate(_BranchGate):
    """A _BranchGate for an inline Map's iterations, which start one by one as
    workers take them (MaxConcurrency), so they are registered as they start.
    Also holds the first failure's index and each iteration's job and frame."""

    def __init__(self) -> None:  # noqa: D107 - the fields are the parent's, keyed by item index
        self.cond = threading.Condition()
        self.closed = False
        self.sealed = False
        self.failure_index: int | None = None
        self.failure_event_id = 0
        self.started: dict[int, bool] = {}
        self.busy: dict[int, bool] = {}
        self.finished: dict[int, bool] = {}
        self.open_state: dict[int, str | None] = {}
        self.succeeded: set[int] = set()
        self.jobs: dict[int, Any] = {}
        self.frames: dict[int, tuple[Any, Any]] = {}  # index -> (worker frame, iteration frame)

    def register(self, index: int, job: Any) -> None:
        self.started[index] = False
        self.busy[index] = False
        self.finished[index] = False
        self.open_state[index] = None
        self.jobs[index] = job

    def quiet(self) -> bool:
        return all(self.finished[i] or (self.started[i] and not self.busy[i]) for i in self.started)


_ITERATION_OUTCOMES = frozenset({"MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted"})


class _GatedIterationEventManager(_GatedEventManager):
    """What a Map iteration writes through. The first MapIterationFailed
    closes the gate and is held back: the Map writes it after the siblings'
    aborts, as AWS orders them. Once closed, no iteration reports an outcome
    of its own (the Map reports the aborted ones)."""

    def add_event(self, context, event_type, *args, **kwargs):
        gate, index = self._gate, self._index
        name = str(getattr(event_type, "value", event_type))
        if name in _ITERATION_OUTCOMES and context is self._branch_context:
            with gate.cond:
                if name == "MapIterationFailed" and not gate.closed:
                    gate.closed = True
                    gate.failure_index = index
                    gate.failure_event_id = context.source_event_id
                    gate.cond.notify_all()
                    return context.source_event_id
                if gate.closed:
                    return context.source_event_id
                if name == "MapIterationSucceeded":
                    gate.succeeded.add(index)
        return super().add_event(context, event_type, *args, **kwargs)

    def _idle_after(self, name: str, context: Any) -> bool:
        # Its own start is not a wait: the iteration goes straight on into its first state.
        return super()._idle_after(name, context) and not (name == "MapIterationStarted" and context is self._branch_context)


def stop_map_iterations_like_aws() -> None:
    """When one iteration of an inline Map failed, the Map raised its error at
    once and left the other iterations running: the Map state's timeout frame
    then ended them (set_ended) wherever they were, so the engine pruned them
    mid-state, and each later recorded MapIterationSucceeded, after
    MapStateFailed and whatever came next (ExecutionFailed, a Catch's states),
    even an iteration that had failed too. No MapIterationAborted, no
    <Type>StateAborted; a sibling in a service call made it after the Map had
    failed, with its outcome recorded nowhere.

    AWS (as for Parallel, patch 15) lets each sibling finish the decision it is
    in, then records, pointing at the failure event, MapIterationAborted and
    the <Type>StateAborted of the state each sibling was in, then the failed
    iteration's MapIterationFailed and MapStateFailed, and nothing more from
    any iteration; no iteration starts after the failure."""
    from moto.stepfunctions.parser.api import HistoryEventType, MapIterationEventDetails
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.inline_iteration_component import (
        InlineIterationComponent,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.iteration_worker import (
        IterationWorker,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.job import JobPool
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.max_concurrency import (
        DEFAULT_MAX_CONCURRENCY_VALUE,
    )
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventHistoryContext

    def _eval_pool(self, job, worker_frame) -> None:
        if job is None:
            self._env.close_frame(worker_frame)
            return
        gate: _IterationGate | None = getattr(self._job_pool, "iteration_gate", None)
        job_frame = worker_frame.open_inner_frame()
        if gate is not None:
            with gate.cond:
                gate.frames[job.job_index] = (worker_frame, job_frame)
            job_frame.event_manager = _GatedIterationEventManager(
                job_frame.event_manager, gate, job.job_index, job_frame.event_history_context
            )
        self._eval_job(env=job_frame, job=job)
        if gate is not None:
            with gate.cond:
                gate.finished[job.job_index] = True
                gate.busy[job.job_index] = False
                gate.cond.notify_all()
        worker_frame.close_frame(job_frame)

        if isinstance(job.job_output, Exception) or self.stopped():
            self._env.close_frame(worker_frame)
            self._job_pool.close_job(job)
            return
        next_job = self._job_pool.next_job()
        if next_job is None:
            worker_frame.event_history_context.source_event_id = job_frame.event_history_context.last_published_event_id
            self._env.close_frame(worker_frame)
            self._job_pool.close_job(job)
            return
        self._job_pool.close_job(job)
        self._eval_pool(job=next_job, worker_frame=worker_frame)

    original_next_job = JobPool.next_job

    def next_job(self):
        """Items start in order: one taken before a sibling failed starts (as
        every branch of a Parallel does), none is taken after."""
        gate: _IterationGate | None = getattr(self, "iteration_gate", None)
        if gate is None:
            return original_next_job(self)
        with gate.cond:
            if gate.closed:
                return None
            job = original_next_job(self)
            if job is not None:
                gate.register(job.job_index, job)
            return job

    def _eval_body(self, env) -> None:
        eval_input = env.stack.pop()
        input_items = eval_input.input_items
        job_pool = JobPool(job_program=self._get_iteration_program(), job_inputs=input_items)
        gate = _IterationGate()
        job_pool.iteration_gate = gate
        workers = len(input_items) if eval_input.max_concurrency == DEFAULT_MAX_CONCURRENCY_VALUE else eval_input.max_concurrency
        for _ in range(workers):
            self._launch_worker(env=env, eval_input=eval_input, job_pool=job_pool)
        job_pool.await_jobs()

        worker_exception = job_pool.get_worker_exception()
        if worker_exception is None:
            env.stack.append([closed.job_output for closed in job_pool.get_closed_jobs()])
            return

        with gate.cond:
            gate.closed = True
            if not gate.cond.wait_for(gate.quiet, timeout=BRANCH_QUIESCE_TIMEOUT_SECONDS):
                LOG.warning("Map iterations still busy %.0fs after one failed", BRANCH_QUIESCE_TIMEOUT_SECONDS)
            gate.sealed = True
            failed = gate.failure_index
            cut = [i for i in sorted(gate.started) if i != failed and i not in gate.succeeded]
            open_states = {i: gate.open_state[i] for i in cut}
        # Detached first: a stopped iteration closing its frame must not move the Map's event links.
        for worker_frame, _ in gate.frames.values():
            env.delete_frame(worker_frame)
        stop_date = datetime.datetime.now(tz=datetime.timezone.utc)
        for index in cut:
            gate.frames[index][1].set_stop(stop_date=stop_date, cause=None, error=None)
        if failed is None:  # not an iteration's failure (the execution was stopped): as before
            raise worker_exception

        failure_event_id = gate.failure_event_id

        def record(event_type: str, **details: Any) -> None:
            env.event_manager.add_event(
                context=EventHistoryContext(previous_event_id=failure_event_id),
                event_type=HistoryEventType(event_type),
                event_details=EventDetails(**details) if details else None,
                update_source_event_id=False,
            )

        for index in cut:
            record("MapIterationAborted", mapIterationAbortedEventDetails=MapIterationEventDetails(name=eval_input.state_name, index=index))
            if open_states[index] in _ABORTABLE_STATE_TYPES:
                record(f"{open_states[index]}StateAborted")
        record("MapIterationFailed", mapIterationFailedEventDetails=MapIterationEventDetails(name=eval_input.state_name, index=failed))
        context = env.event_history_context
        context.source_event_id = failure_event_id
        context.last_published_event_id = max(context.last_published_event_id, failure_event_id)
        raise gate.jobs[failed].job_output

    JobPool.next_job = next_job
    IterationWorker._eval_pool = _eval_pool
    InlineIterationComponent._eval_body = _eval_body



# --------------------------------------------------------------------------- #
# Mocked failures: complete events, short logs; unknown test cases (patches 16, 17, 18)
# --------------------------------------------------------------------------- #
def complete_mocked_task_failures() -> None:
    """A mock-config Throw was recorded as a TaskFailed with only error and
    cause. AWS's TaskFailed for a service integration also names the resource
    and resourceType (e.g. "invoke", "lambda"); and a Task whose Resource is a
    Lambda function ARN fails with LambdaFunctionFailed, not TaskFailed."""
    from moto.stepfunctions.parser.api import HistoryEventType, LambdaFunctionFailedEventDetails
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
        FailureEvent,
        FailureEventException,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import (
        StateTaskService,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_lambda import (
        StateTaskLambda,
    )
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

    original_service = StateTaskService._eval_execution
    original_lambda = StateTaskLambda._eval_execution

    def service_eval_execution(self, env) -> None:
        try:
            original_service(self, env)
        except FailureEventException as exc:
            details = (exc.failure_event.event_details or {}).get("taskFailedEventDetails")
            if details is not None:
                details.setdefault("resource", self._get_sfn_resource())
                details.setdefault("resourceType", self._get_sfn_resource_type())
            raise

    def lambda_eval_execution(self, env) -> None:
        try:
            original_lambda(self, env)
        except FailureEventException as exc:
            event = exc.failure_event
            details = (event.event_details or {}).get("taskFailedEventDetails")
            if event.event_type != HistoryEventType.TaskFailed or details is None:
                raise
            raise FailureEventException(
                failure_event=FailureEvent(
                    env=env,
                    error_name=event.error_name,
                    event_type=HistoryEventType.LambdaFunctionFailed,
                    event_details=EventDetails(
                        lambdaFunctionFailedEventDetails=LambdaFunctionFailedEventDetails(
                            **{k: v for k, v in details.items() if k in ("error", "cause")}
                        )
                    ),
                )
            ) from exc

    StateTaskService._eval_execution = service_eval_execution
    StateTaskLambda._eval_execution = lambda_eval_execution


LOG_DETAIL_LIMIT = 300


def quiet_expected_failure_logs() -> None:
    """Every failure a state raised (a mocked Throw, a typed business error
    caught by a Catch) was logged at ERROR once per enclosing component, each
    with the component's whole repr (~3 KB per line): the emulator log was
    mostly dumps of handled, expected outcomes. They are in the execution
    history already: log one short INFO line per state instead. Unexpected
    Python exceptions stay at ERROR, shortened."""
    from moto.stepfunctions.parser.asl.component.eval_component import LOG as EVAL_LOG
    from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
    from moto.stepfunctions.parser.asl.utils.encoding import to_json_str

    def describe(component: Any) -> str:
        name = getattr(component, "name", None)
        kind = type(component).__name__
        return f"{kind} '{name}'" if isinstance(name, str) else kind

    def _log_failure_event_exception(self, failure_event_exception) -> None:
        if not hasattr(self, "state_type"):  # log once, at the state that failed
            return
        event = failure_event_exception.failure_event
        error = event.error_name.error_name if event.error_name else None
        details = to_json_str(event.event_details) if event.event_details else ""
        EVAL_LOG.info(
            "%s failed: %s %s", describe(self), error, details[:LOG_DETAIL_LIMIT]
        )

    def _log_exception(self, exception: Exception) -> None:
        EVAL_LOG.error(
            "%s raised %s: %s",
            describe(self),
            type(exception).__name__,
            str(exception)[:LOG_DETAIL_LIMIT],
        )

    EvalComponent._log_failure_event_exception = _log_failure_event_exception
    EvalComponent._log_exception = _log_exception


def explain_unknown_mock_test_cases() -> None:
    """Starting `arn#Case` for a case the mock config does not define answered
    InvalidName "... 'machine'.Either the test case is not defined or the mock
    configuration file could not be loaded. See logs for details.", the real
    reason only in the emulator log. Say which one it is in the answer."""
    from moto.stepfunctions.exceptions import InvalidName
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    def reason(state_machine_name: str, case_name: str) -> str:
        path = os.environ.get("SFN_MOCK_CONFIG")
        if not path:
            return "SFN_MOCK_CONFIG is not set, so no mock test case can be run"
        try:
            with open(path, encoding="utf-8") as handle:
                raw = json.load(handle)
        except (OSError, ValueError) as exc:
            return f"the mock config {path} could not be read: {exc}"
        machines = raw.get("StateMachines", {}) if isinstance(raw, dict) else {}
        if state_machine_name not in machines:
            known = ", ".join(sorted(machines)) or "none"
            return f"{path} has no entry for state machine '{state_machine_name}' (it has: {known})"
        cases = machines[state_machine_name].get("TestCases", {})
        if case_name not in cases:
            known = ", ".join(sorted(cases)) or "none"
            return f"{path} defines no test case '{case_name}' for '{state_machine_name}' (it defines: {known})"
        responses = raw.get("MockedResponses", {})
        missing = sorted({r for r in cases[case_name].values() if r not in responses})
        if missing:
            return f"test case '{case_name}' names mocked responses {path} does not define: {', '.join(missing)}"
        return f"test case '{case_name}' in {path} is not valid (see the emulator log)"

    original_start = StepFunctionsParserBackend.start_execution

    @functools.wraps(original_start)
    def start_execution(self, state_machine_arn, *args, **kwargs):
        try:
            return original_start(self, state_machine_arn, *args, **kwargs)
        except InvalidName as exc:
            base_arn, _, case_name = state_machine_arn.partition("#")
            if not case_name or "mock test case" not in str(exc):
                raise
            name = base_arn.rsplit(":", 1)[-1]
            raise InvalidName(
                f"Cannot run mock test case '{case_name}' of state machine '{name}': "
                f"{reason(name, case_name)}."
            ) from None

    StepFunctionsParserBackend.start_execution = start_execution


# --------------------------------------------------------------------------- #
# Throughput under load (profiled with the benchmark's load: .local/profile/) (patches 20, 21, 22, 23, 24, 25, 26, 27)
# --------------------------------------------------------------------------- #
def reuse_engine_boto_clients() -> None:
    """The engine built a new boto3 client (service model, endpoint rules, event
    hooks) for every service call a Task made, about a fifth of the emulator's
    CPU per order. Its arguments never vary for a region and service (the
    credentials argument is ignored) and boto3 clients are thread-safe, so build
    each client once and share it."""
    from moto.stepfunctions.parser.asl.utils import boto_client as boto_client_module

    original = boto_client_module.boto_client_for
    clients: dict[tuple, Any] = {}
    lock = threading.Lock()

    @functools.wraps(original)
    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        key = (region, service, boto_client_module.botocore_stubber.enabled, boto_client_module.moto_server_port())
        client = clients.get(key)
        if client is None:
            with lock:
                client = clients.get(key)
                if client is None:
                    client = clients[key] = original(region, service, state_credentials)
        return client

    boto_client_module.boto_client_for = boto_client_for
    # Importers bound the name at import time: rebind it everywhere.
    import moto.stepfunctions.parser.asl.parse.asl_parser  # noqa: F401  (loads the engine)

    for module in list(sys.modules.values()):
        if getattr(module, "boto_client_for", None) is original:
            module.boto_client_for = boto_client_for


def share_evaluation_programs() -> None:
    """With the parse tree cached, every execution still rebuilt its evaluation
    components from it (the Preprocessor's walk, ANTLR getText included): about
    a quarter of the emulator's CPU per order. The components hold no run-time
    state (each execution's Environment does), except a heap key each draws
    lazily and Retry uses to keep its counters in that Environment. Build the
    components once per definition, draw every heap key before sharing them
    (two executions drawing at once could otherwise split one state's
    counters), and give every execution of that definition the same program."""
    from moto.stepfunctions.parser.asl.component.component import Component
    from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    def draw_heap_keys(program: Any) -> None:
        seen: set[int] = set()
        pending = [program]
        while pending:
            value = pending.pop()
            if id(value) in seen:
                continue
            seen.add(id(value))
            if isinstance(value, EvalComponent):
                _ = value.heap_key
            if isinstance(value, Component):
                pending.extend(getattr(value, "__dict__", {}).values())
            elif isinstance(value, (list, tuple, set, frozenset)):
                pending.extend(value)
            elif isinstance(value, dict):
                pending.extend(value.values())

    @functools.lru_cache(maxsize=512)
    def program_for(definition: str) -> Any:
        program = AmazonStateLanguageParser.parse(definition)[0]
        draw_heap_keys(program)
        return program

    def _get_evaluation_entrypoint(self: Any) -> Any:
        return program_for(self._evaluation_details.state_machine_details.definition)

    ExecutionWorker._get_evaluation_entrypoint = _get_evaluation_entrypoint



# The engine's calls to these go straight to moto's backends; Lambda (our handlers)
# and SNS (copied to the outbox) still go through the front at MOTO_PORT.
_IN_PROCESS_SERVICES = frozenset({"dynamodb", "events", "sqs", "stepfunctions"})


def dispatch_engine_calls_in_process() -> None:
    """Every DynamoDB, EventBridge, SQS and Step Functions call a Task made
    left this process over HTTP, through the Node front, and came back in as a
    request werkzeug served on a new thread. Give the engine clients for those
    services that hand each request to moto's backends in this process (moto's
    own in-memory dispatch, as under mock_aws), so nothing crosses a socket.
    Needs reuse_engine_boto_clients (one client per service)."""
    import boto3
    from botocore.config import Config
    from moto.core.botocore_stubber import BotocoreStubber
    from moto.stepfunctions.parser.asl.utils import boto_client as boto_client_module

    through_front = boto_client_module.boto_client_for
    dispatcher = BotocoreStubber()
    dispatcher.enabled = True
    clients: dict[tuple, Any] = {}
    lock = threading.Lock()

    def in_process_client(region: str, service: str) -> Any:
        client = boto3.client(
            service,
            region_name=region,
            aws_access_key_id="ak",
            aws_secret_access_key="sk",
            # AWS's own endpoint URLs, which the dispatcher matches: not AWS_ENDPOINT_URL*, which the
            # local stack's environment (inherited here) sets for the handlers.
            config=Config(
                parameter_validation=False,
                retries={"max_attempts": 0, "total_max_attempts": 1},
                ignore_configured_endpoint_urls=True,
            ),
        )
        client.meta.events.register("before-send", serve_unless_answered)
        return client

    def serve_unless_answered(event_name: str, request: Any, **kwargs: Any) -> Any:
        # botocore calls every before-send handler and keeps the first answer: a call the
        # local stack already answered (patch 36: refused by IAM, or an injected fault) must
        # not be served as well, or it would be applied while its caller is told it failed.
        if getattr(request, "local_answered", False):
            return None
        return dispatcher(event_name=event_name, request=request, **kwargs)

    @functools.wraps(through_front)
    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        if service not in _IN_PROCESS_SERVICES:
            return through_front(region, service, state_credentials)
        key = (region, service)
        client = clients.get(key)
        if client is None:
            with lock:
                client = clients.get(key)
                if client is None:
                    client = clients[key] = in_process_client(region, service)
        return client

    boto_client_module.boto_client_for = boto_client_for
    for module in list(sys.modules.values()):
        if getattr(module, "boto_client_for", None) is through_front:
            module.boto_client_for = boto_client_for



def cache_request_routing_lookups() -> None:
    """Two lookups moto's server redid for every request (handlers make about
    ten per order): listing moto's package directory on disk to route the
    Host header, and inspect.getmembers() on the response class to find the
    action. Neither changes while the server runs (every patch is applied
    before it starts), so compute each once."""
    import moto.backends
    import moto.core.responses

    moto_modules = frozenset(moto.backends.list_of_moto_modules())
    moto.backends.list_of_moto_modules = lambda: moto_modules
    moto.core.responses.method_names_from_class = functools.lru_cache(maxsize=None)(
        moto.core.responses.method_names_from_class
    )


def serialize_attribute_values_directly() -> None:
    """moto serializes every DynamoDB answer by walking botocore's output shapes,
    and an AttributeValue is a structure of ten possible members, each looked
    up under several aliases: about 0.05 ms per attribute value, 90% of a
    BatchGetItem's CPU (10 shipments with their tracking histories: 29 ms, 4.5 ms
    without it). moto's items are already in the wire format ({"S": ...},
    {"M": {...}}, {"L": [...]}), so write them out as they are, base64-encoding
    binaries exactly as the shape walk does; every other member still goes
    through the shapes."""
    from moto.core import serialize

    walk_structure = serialize.BaseJSONSerializer._serialize_type_structure
    dynamodb_services = frozenset({"dynamodb", "dynamodbstreams"})

    def wire(value: dict, encode: Callable[[Any], str]) -> dict:
        out = {}
        for kind, member in value.items():
            if kind == "M":
                out[kind] = {name: wire(item, encode) for name, item in member.items()}
            elif kind == "L":
                out[kind] = [wire(item, encode) for item in member]
            elif kind == "B":
                out[kind] = encode(member)
            elif kind == "BS":
                out[kind] = [encode(item) for item in member]
            else:
                out[kind] = member
        return out

    def _serialize_type_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if (
            shape.name == "AttributeValue"
            and isinstance(value, dict)
            and self.operation_model.service_model.service_name in dynamodb_services
        ):
            serialized[key] = wire(value, self._base64)
            return
        walk_structure(self, serialized, value, shape, key)

    serialize.BaseJSONSerializer._serialize_type_structure = _serialize_type_structure


def scheduled_rules_match_no_events() -> None:
    """moto reads a rule without an EventPattern as "match everything", so a
    scheduled rule (ScheduleExpression only) was sent every event on its bus. On
    AWS a scheduled rule fires on its schedule and never matches an event. The
    harm went beyond a spurious delivery: a scheduled rule targeting a Lambda
    (moto's needs Docker) raised, and S3's EventBridge notification, which
    walks the bus's rules in one try block, silently gave up on every rule after
    it, so an `Object Created` never reached the rule that wanted it."""
    from moto.events.models import Rule

    original = Rule.send_to_targets

    def send_to_targets(self, event, transform_input=True):
        if not self.event_pattern.get_pattern():
            return None
        return original(self, event, transform_input)

    Rule.send_to_targets = send_to_targets


def serialize_dynamodb_writes() -> None:
    """moto's DynamoDB checks a ConditionExpression and then writes, with
    nothing between the two: the server serves requests on threads, so two
    concurrent conditional writes could both pass (two reservations of the last
    unit, two decisions of one approval) and one update was lost. DynamoDB
    applies each write, and each TransactWriteItems, atomically. Run every
    write of the backend under one lock (reentrant: a batch or transaction
    calls the single-item writes)."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()

    def serialized(method: Any) -> Any:
        @functools.wraps(method)
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            with lock:
                return method(self, *args, **kwargs)

        return run

    for name in ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item"):
        setattr(DynamoDBBackend, name, serialized(getattr(DynamoDBBackend, name)))


def pascal_case_aws_sdk_error_names() -> None:
    """An aws-sdk Task's error is `<Service>.<Exception>`, both PascalCase on AWS
    (`Textract.UnsupportedDocumentException`, `S3.NoSuchKeyException`). The engine
    knows the spelling of DynamoDb and Sfn only and passes every other service
    through as the resource ARN spells it, lower-case, so `Catch` on AWS's name
    never matched. Services whose AWS spelling is not the name with a capital
    first letter are listed."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
        state_task_service_aws_sdk as aws_sdk,
    )

    aws_sdk._SERVICE_ERROR_NAMES.update({"s3": "S3", "acmpca": "AcmPca", "apigateway": "ApiGateway", "eventbridge": "EventBridge", "sqs": "Sqs", "sns": "Sns"})
    original = aws_sdk.StateTaskServiceAwsSdk._normalise_service_error_name

    def normalise_service_error_name(service_name: str) -> str:
        if service_name.lower() in aws_sdk._SERVICE_ERROR_NAMES:
            return original(service_name)
        return service_name[:1].upper() + service_name[1:]

    aws_sdk.StateTaskServiceAwsSdk._normalise_service_error_name = staticmethod(normalise_service_error_name)


# --------------------------------------------------------------------------- #
# DynamoDB at webhook and order volume (measured per request type: PATCHES.md) (patches 28, 29, 30, 31, 32, 33, 34)
# --------------------------------------------------------------------------- #
def look_up_account_backends_without_lock() -> None:
    """Every request looks up its service's backend, and IAM's, by account, and
    moto takes one process-wide lock for each lookup, even when the account's
    backends exist (always, after the first request). Under load the request
    threads queued on it. Look the account up first and take the lock only to
    create its backends, as moto already does for regions."""
    from moto.core.base_backend import BackendDict

    create_and_get = BackendDict.__getitem__

    def get(self: Any, account_id: str) -> Any:
        if dict.__contains__(self, account_id):
            return dict.__getitem__(self, account_id)
        return create_and_get(self, account_id)

    BackendDict.__getitem__ = get


def compare_key_values_cheaply() -> None:
    """A Query (or Scan) starts from every item of the table in key order, sorted
    by comparing DynamoType objects, each comparison converting both values
    again; then each item's index key is compared with the one asked for the
    same way. ~10 ms for a Query of a 500-item table. Sort once on the
    converted key values (the same order: keys are S, N or B, one type per key
    attribute), and compare strings, binaries and booleans as they are (what
    the conversion returns for them); numbers, sets, lists and maps still
    convert."""
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    def key_of(item: Any) -> Any:
        if item.range_key:
            return (item.hash_key.cast_value, item.range_key.cast_value)
        return item.hash_key.cast_value

    def all_items(self: Any) -> list:
        items: list = []
        for hash_set in self.items.values():
            if self.range_key_attr:
                items.extend(hash_set.values())
            else:
                items.append(hash_set)
        return sorted(items, key=key_of)

    Table.all_items = all_items

    as_they_are = frozenset({"S", "B", "BOOL"})
    converted_eq, converted_ne = DynamoType.__eq__, DynamoType.__ne__

    def eq(self: Any, other: Any) -> bool:
        if self.type in as_they_are and type(other) is DynamoType:
            return self.type == other.type and self.value == other.value
        return converted_eq(self, other)

    def ne(self: Any, other: Any) -> bool:
        if self.type in as_they_are and type(other) is DynamoType:
            return self.type != other.type or self.value != other.value
        return converted_ne(self, other)

    # __hash__ stays: it hashes (type, converted value), equal for values equal here.
    DynamoType.__eq__, DynamoType.__ne__ = eq, ne


def project_top_level_attributes_directly() -> None:
    """A ProjectionExpression made moto convert the whole item to plain JSON
    once per projected name, then back, then rebuild it with a size check per
    attribute: ~1.5 ms per item for four names, most of a BatchGetItem. When
    every projected name is a top-level attribute (no `a.b`, no `a[0]`), copy
    those attributes; anything else takes moto's way."""
    from moto.dynamodb.models.dynamo_type import Item, LimitedSizeDict

    project_paths = Item.project

    def project(self: Any, projection_expressions: list[list[str]]) -> Any:
        if not all(len(path) == 1 and "[" not in path[0] for path in projection_expressions):
            return project_paths(self, projection_expressions)
        projected = Item.__new__(Item)
        projected.hash_key = self.hash_key
        projected.range_key = self.range_key
        attrs = LimitedSizeDict.__new__(LimitedSizeDict)
        dict.__init__(attrs)
        for (name,) in projection_expressions:
            if name in self.attrs:
                # Below the item's size limit already: no check per attribute.
                dict.__setitem__(attrs, name, copy.deepcopy(self.attrs[name]))
        projected.attrs = attrs
        return projected

    Item.project = project


def reuse_parsed_update_expressions() -> None:
    """moto parses an UpdateExpression twice per UpdateItem (the request, then
    the backend) with a tokenizer and recursive parser written in Python, ~0.5 ms
    a time, and our writes use a handful of expressions over and over. Keep
    the parse of each expression (a failed parse raises, and is not kept).
    Sharing the tree is safe: the callers only search it, and the validator
    that rewrites it works on its own deep copy (Validator.__init__). That
    copy went through copy.deepcopy's generic protocol, node by node, ~1 ms
    for four SET actions: copy the tree directly (a node is its type, its
    children and its parent)."""
    from moto.dynamodb.parsing.ast_nodes import Node
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser
    from moto.dynamodb.parsing.validators import Validator

    parse = UpdateExpressionParser.make.__func__
    parsed = functools.lru_cache(maxsize=512)(lambda expression: parse(UpdateExpressionParser, expression))
    UpdateExpressionParser.make = classmethod(lambda cls, expression: parsed(expression))

    def copy_tree(node: Any, parent: Any) -> Any:
        copied = node.__class__.__new__(node.__class__)
        copied.__dict__.update(node.__dict__)
        copied.parent = parent
        if node.children is not None:
            copied.children = [copy_tree(child, copied) if isinstance(child, Node) else copy.deepcopy(child) for child in node.children]
        return copied

    def init(self: Any, expression: Any, expression_attribute_names: Any, expression_attribute_values: Any, item: Any, table: Any) -> None:
        self.expression_attribute_names = expression_attribute_names
        self.expression_attribute_values = expression_attribute_values
        self.item = item
        self.table = table
        self.processors = self.get_ast_processors()
        self.node_to_validate = copy_tree(expression, None) if isinstance(expression, Node) and expression.parent is None else copy.deepcopy(expression)

    Validator.__init__ = init


def traverse_update_expressions_directly() -> None:
    """After patch 31, validating an UpdateExpression was still most of an
    UpdateItem: ten passes over the tree, each asking at every node which of
    its handlers applies, through isinstance on ABCMeta classes, rebuilding its
    handler table and type tuple per node. A pass now looks up each node class
    once (same first-match order) and walks the children directly. And the
    passes that only read the expression's structure (clause counts, path
    overlaps, key attributes) ran at every one of the ~18 clause nodes of a
    four-action SET, or at every path: their answer depends only on the
    expression, the attribute names and the table's key, so each runs once per
    parsed expression (patch 31 keeps the parse) and those inputs, until it has
    passed. A traverser that overrides how moto walks or dispatches keeps
    moto's walk."""
    from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser, Node
    from moto.dynamodb.parsing.validators import ActionCountValidator, OverlappingPathsValidator, UpdateHashRangeKeyValidator, Validator

    generic = {name: getattr(DepthFirstTraverser, name) for name in ("process", "nodes_to_be_processed", "traverse_node_recursively")}
    moto_walk = DepthFirstTraverser.traverse
    no_pre_processing = DepthFirstTraverser.pre_processing_of_child
    # (traverser class, node class) -> the handler table's key for it; None: not handled; False: not a node
    handled_by: dict[tuple[type, type], Any] = {}

    def key_for(traverser: type, node_class: type, keys: tuple) -> Any:
        try:
            return handled_by[traverser, node_class]
        except KeyError:
            key = next((key for key in keys if issubclass(node_class, key)), None) if issubclass(node_class, Node) else False
            handled_by[traverser, node_class] = key
            return key

    def traverse(self: Any, root: Any) -> Any:
        traverser = type(self)
        if any(getattr(traverser, name) is not method for name, method in generic.items()):
            return moto_walk(self, root)
        handlers = self._processing_map()
        keys = tuple(handlers)
        pre_processing = None if traverser.pre_processing_of_child is no_pre_processing else self.pre_processing_of_child

        def walk(node: Any, child_id: int) -> Any:
            key = key_for(traverser, type(node), keys)
            if key is False:
                return node
            parent = node.parent
            if node.children is not None:
                for index, child in enumerate(node.children):
                    if pre_processing is not None:
                        pre_processing(node, index)
                    walk(child, index)
            if key is not None:
                node = handlers[key](node)
                node.parent = parent
                if parent:
                    parent.children[child_id] = node
            return node

        return walk(root, -1)

    DepthFirstTraverser.traverse = traverse

    construct = Validator.__init__

    @functools.wraps(construct)
    def init(self: Any, expression: Any, *args: Any, **kwargs: Any) -> None:
        construct(self, expression, *args, **kwargs)
        self.parsed_expression = expression

    def structural_check(processor: Any) -> Any:
        """What a pass that only reads the expression's structure depends on; None for the others."""
        kind = type(processor)
        if kind is ActionCountValidator:
            return (kind,)
        if kind is OverlappingPathsValidator:
            return (kind, frozenset((processor.expression_attribute_names or {}).items()))
        if kind is UpdateHashRangeKeyValidator:
            return (kind, tuple(processor.table_key_attributes), frozenset((processor.expression_attribute_names or {}).items()))
        return None

    def validate(self: Any) -> Any:
        parsed = self.parsed_expression
        passed = parsed.__dict__.setdefault("structural_checks_passed", set())
        tree = self.node_to_validate
        for processor in self.processors:
            check = structural_check(processor)
            if check is not None and check in passed:
                continue
            tree = processor.traverse(tree)
            if check is not None:
                passed.add(check)
        return tree

    Validator.__init__ = init
    Validator.validate = validate


def back_up_only_the_items_a_transaction_touches() -> None:
    """TransactWriteItems deep-copies every table it writes to before it
    starts, to put the copy back if an action fails: its cost grows with the
    table. Reserving an order's stock (one transaction on the products and
    reservations tables) took 26 ms of the emulator's CPU after ~170 orders,
    and every other write waited behind it (serialize_dynamodb_writes). Only the items the
    transaction names can change (the writes are serialized), so the copy
    now shares the table's other items and settings and deep-copies just
    those items (and the stream shard, if any). Any other deep copy of a
    table, or a transaction whose keys cannot be read, copies it all, as
    before."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    in_transaction = threading.local()

    def named_keys(backend: Any, transact_items: list) -> dict[str, list[tuple]]:
        named: dict[str, list[tuple]] = {}
        unreadable: set[str] = set()
        for action in transact_items:
            _, op = next(iter(action.items()))
            table = backend.tables.get(op.get("TableName"))
            if table is None:
                continue
            attrs = op.get("Key") or op.get("Item") or {}
            hash_value = attrs.get(table.hash_key_attr)
            range_value = attrs.get(table.range_key_attr) if table.range_key_attr else None
            if hash_value is None or (table.range_key_attr and range_value is None):
                unreadable.add(table.name)
                continue
            named.setdefault(table.name, []).append((DynamoType(hash_value), DynamoType(range_value) if range_value else None))
        return {name: keys for name, keys in named.items() if name not in unreadable}

    def copy_everything(table: Any, memo: dict) -> Any:
        # What copy.deepcopy does for a plain object.
        copied = table.__class__.__new__(table.__class__)
        memo[id(table)] = copied
        copied.__dict__.update(copy.deepcopy(table.__dict__, memo))
        return copied

    def deepcopy_table(self: Any, memo: dict) -> Any:
        keys = (getattr(in_transaction, "keys", None) or {}).get(self.name)
        if keys is None:
            return copy_everything(self, memo)
        copied = self.__class__.__new__(self.__class__)
        memo[id(self)] = copied
        copied.__dict__.update(self.__dict__)
        items = copied.items = type(self.items)(dict)
        for hash_value, stored in self.items.items():
            items[hash_value] = dict(stored) if self.range_key_attr else stored
        for hash_value, range_value in keys:
            if hash_value not in items:
                continue
            if self.range_key_attr:
                if range_value in items[hash_value]:
                    items[hash_value][range_value] = copy.deepcopy(items[hash_value][range_value], memo)
            else:
                items[hash_value] = copy.deepcopy(items[hash_value], memo)
        copied.stream_shard = copy.deepcopy(self.stream_shard, memo)
        return copied

    Table.__deepcopy__ = deepcopy_table
    transact = DynamoDBBackend.transact_write_items

    @functools.wraps(transact)
    def transact_write_items(self: Any, transact_items: list) -> Any:
        in_transaction.keys = named_keys(self, transact_items)
        try:
            return transact(self, transact_items)
        finally:
            in_transaction.keys = None

    DynamoDBBackend.transact_write_items = transact_write_items


# --------------------------------------------------------------------------- #
# IAM: each engine call held to its state machine's role (patch 36)
# --------------------------------------------------------------------------- #
# Who makes an engine call, as the local stack's front reads it (scripts/local-stack/src/caller.ts):
# "<kind> <arn> <role ARN or ->".
_CALLER_HEADER = "x-local-caller"
# The Task resource the call is made for: a `.sync` Task needs more than the call itself.
_TASK_HEADER = "x-local-task"
_ENGINE_CALLER = threading.local()


def _engine_calls_vetted() -> bool:
    """LOCAL_IAM=enforce or log: the local stack holds calls to their roles and answers
    /_local/engine-calls at MOTO_PORT; LOCAL_FAULTS set: it may answer a call with an
    injected fault instead. Unset (a bare launcher) or off: nobody to ask."""
    return os.environ.get("LOCAL_IAM", "off").strip().lower() in ("enforce", "log") or bool(os.environ.get("LOCAL_FAULTS", "").strip())


class _FrontVerdicts:
    """Asks the front at MOTO_PORT about a call the engine serves in process;
    one kept-alive connection per thread."""

    def __init__(self) -> None:
        self._local = threading.local()

    def ask(self, payload: dict) -> dict:
        import http.client

        body = json.dumps(payload).encode()
        for attempt in (1, 2):
            connection = getattr(self._local, "connection", None)
            if connection is None:
                connection = self._local.connection = http.client.HTTPConnection("127.0.0.1", int(os.environ["MOTO_PORT"]), timeout=30)
            try:
                connection.request("POST", "/_local/engine-calls", body=body, headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                answer = response.read()
                if response.status != 200:
                    raise RuntimeError(f"the front answered {response.status} to /_local/engine-calls: {answer[:200]!r}")
                return json.loads(answer)
            except (OSError, http.client.HTTPException):
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


_VERDICTS = _FrontVerdicts()


class _AttributedClient:
    """A shared engine client seen through one Task's eyes: each call it makes
    runs with the Task's caller set on this thread, for the before-send hook."""

    __slots__ = ("_client", "_who")

    def __init__(self, client: Any, who: tuple[str, str | None]) -> None:
        self._client = client
        self._who = who

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._client, name)
        if name.startswith("_") or not callable(value):
            return value
        who = self._who

        @functools.wraps(value)
        def call(*args: Any, **kwargs: Any) -> Any:
            previous = getattr(_ENGINE_CALLER, "who", None)
            _ENGINE_CALLER.who = who
            try:
                return value(*args, **kwargs)
            finally:
                _ENGINE_CALLER.who = previous

        return call


def _request_for_front(request: Any) -> dict:
    """A botocore request about to be sent, as the front reads requests."""
    import base64
    import urllib.parse

    url = urllib.parse.urlsplit(request.url)
    headers = {str(k): (v.decode() if isinstance(v, bytes) else str(v)) for k, v in request.headers.items()}
    headers.setdefault("host", url.netloc)
    body = request.body
    if isinstance(body, str):
        body = body.encode()
    elif not isinstance(body, (bytes, bytearray)):
        body = b""
    return {
        "method": request.method,
        "url": url.path + (f"?{url.query}" if url.query else ""),
        "headers": headers,
        "body": base64.b64encode(bytes(body)).decode(),
    }


def attribute_engine_calls_to_their_roles() -> None:
    """moto's engine makes every Task's calls with one set of credentials
    (`boto_client_for` ignores the Task's), so AWS's first check, the
    execution role's permission, never happened: a machine whose role lacks
    dynamodb:PutItem wrote anyway. Each Task's calls now say whose they are:
    the client a Task gets tags its requests with the state machine and its
    role (`x-local-caller`, and the Task's resource in `x-local-task`), which
    the local stack's front checks for the calls that reach it over HTTP
    (Lambda, SNS, Textract, S3); for a call the engine serves in process
    (dispatch_engine_calls_in_process: DynamoDB, EventBridge, SQS, Step
    Functions) it asks the front first (POST /_local/engine-calls at
    MOTO_PORT) and, refused, answers with the AWS error the front wrote, as
    the service would. The policy evaluation stays in one place, the front.
    EventBridge deliveries (patches 8, 35) are asked about too: a state
    machine target needs its RoleArn to allow states:StartExecution, a Lambda
    target the function's resource policy to allow events.amazonaws.com;
    a refused target is not delivered (AWS counts a FailedInvocation).
    Nothing is asked unless LOCAL_IAM is enforce or log, or LOCAL_FAULTS is set
    (the front may answer with an injected fault: scripts/local-stack/src/faults.ts)."""
    import weakref

    from moto.core.botocore_stubber import MockRawResponse
    from botocore.awsrequest import AWSResponse
    from moto.events.models import Rule
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task import StateTask
    from moto.stepfunctions.parser.asl.utils import boto_client as boto_client_module

    eval_state_credentials = StateTask._eval_state_credentials

    def _eval_state_credentials(self: Any, env: Any) -> Any:
        credentials = eval_state_credentials(self, env)
        machine = env.states.context_object.context_object_data["StateMachine"]["Id"].split("#")[0]
        credentials.local_caller = f"state-machine {machine} {credentials.role_arn or '-'}"
        credentials.local_task = getattr(self.resource, "resource_arn", None)
        return credentials

    StateTask._eval_state_credentials = _eval_state_credentials

    watched: weakref.WeakSet = weakref.WeakSet()

    def watch(client: Any) -> None:
        if client in watched:
            return
        watched.add(client)
        over_http = (client.meta.endpoint_url or "").startswith("http://localhost:")

        def before_send(request: Any, **_: Any) -> Any:
            who = getattr(_ENGINE_CALLER, "who", None)
            if who is None:
                return None
            caller, task = who
            if over_http:
                request.headers[_CALLER_HEADER] = caller
                if task:
                    request.headers[_TASK_HEADER] = task
                return None
            if not _engine_calls_vetted():
                return None
            verdict = _VERDICTS.ask({"caller": caller, "task": task, "request": _request_for_front(request)})
            answer = verdict.get("answer")
            if verdict.get("proceed", True) or not answer:
                return None
            request.local_answered = True  # so the in-process dispatcher leaves it alone
            return AWSResponse(request.url, answer["status"], answer["headers"], MockRawResponse(answer["body"].encode()))

        # First, so a refusal is answered before the in-process dispatcher serves the call.
        client.meta.events.register_first("before-send", before_send)

    previous = boto_client_module.boto_client_for

    @functools.wraps(previous)
    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        client = previous(region, service, state_credentials)
        caller = getattr(state_credentials, "local_caller", None)
        if caller is None:
            return client
        watch(client)
        return _AttributedClient(client, (caller, getattr(state_credentials, "local_task", None)))

    boto_client_module.boto_client_for = boto_client_for
    for module in list(sys.modules.values()):
        if getattr(module, "boto_client_for", None) is previous:
            module.boto_client_for = boto_client_for

    def delivery_checks(target: dict) -> list[dict] | None:
        arn = target["Arn"]
        if arn.startswith("arn:") and ":states:" in arn and ":stateMachine:" in arn:
            return [{"action": "states:StartExecution", "resource": arn}]
        if arn.startswith("arn:") and ":lambda:" in arn and ":function:" in arn:
            return [{"action": "lambda:InvokeFunction", "resource": arn}]
        return None

    send_to_targets = Rule.send_to_targets

    def vetted_send_to_targets(self: Any, original_event: Any, transform_input: bool = True) -> Any:
        if not _engine_calls_vetted() or not any(delivery_checks(t) for t in self.targets) or not self.event_pattern.matches_event(original_event):
            return send_to_targets(self, original_event, transform_input)
        allowed = []
        for target in self.targets:
            checks = delivery_checks(target)
            # A Lambda target is invoked as events.amazonaws.com, whatever role the target names.
            role = target.get("RoleArn") if checks and checks[0]["action"].startswith("states:") else None
            if checks and not _VERDICTS.ask({"caller": f"rule {self.arn} {role or '-'}", "checks": checks}).get("proceed", True):
                LOG.warning("EventBridge -> %s not delivered: refused by IAM (see the local stack's log)", target["Arn"])
                continue
            allowed.append(target)
        rule_view = copy.copy(self)  # shallow: do not mutate the shared rule
        rule_view.targets = allowed
        return send_to_targets(rule_view, original_event, transform_input)

    Rule.send_to_targets = vetted_send_to_targets
# The HTTP Task (patch 37)
# --------------------------------------------------------------------------- #
# AWS ends an HTTP Task that gets no answer within 60 seconds with States.Http.Socket.
_HTTP_TASK_TIMEOUT_SECONDS = 60
_HTTP_TASK_PARAMETERS = {"ApiEndpoint", "Method", "Authentication", "Headers", "QueryParameters", "RequestBody", "Transform"}


class HttpTaskFailure(Exception):
    """An HTTP Task's failure under the error name AWS gives it."""

    def __init__(self, error: str, cause: str):
        super().__init__(cause)
        self.error = error
        self.cause = cause


def _connection_parameters(connection_arn: str, account: str, region: str) -> tuple[str, dict]:
    """The authorization type and parameters of an EventBridge connection, as
    moto's events backend keeps them (secrets included: the engine, like AWS's,
    reads them where the connection stores them, never from the definition)."""
    from moto.events.models import events_backends

    name = connection_arn.split(":connection/", 1)[-1].split("/", 1)[0]
    arn_parts = connection_arn.split(":")
    region = arn_parts[3] if len(arn_parts) > 4 and arn_parts[3] else region
    account = arn_parts[4] if len(arn_parts) > 4 and arn_parts[4] else account
    connection = events_backends[account][region].connections.get(name)
    if connection is None or connection.arn != connection_arn:
        raise HttpTaskFailure(
            "Events.ConnectionResource.InvalidConnectionState",
            f"The connection resource {connection_arn} does not exist.",
        )
    return connection.authorization_type, connection.auth_parameters or {}


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _form_fields(name: str, value: Any, array_format: str) -> Iterator[tuple[str, str]]:
    """A URL_ENCODED body as AWS writes it: nested objects in brackets
    (`metadata[plan]=team`, what Stripe reads), arrays as `RequestEncodingOptions.ArrayFormat`
    says: INDICES (the default, `a[0]=x`), REPEAT (`a=x&a=y`), COMMAS (`a=x,y`), BRACKETS (`a[]=x`)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _form_fields(f"{name}[{key}]" if name else str(key), item, array_format)
    elif isinstance(value, list):
        if array_format == "COMMAS":
            yield name, ",".join(_form_value(item) for item in value)
        else:
            for index, item in enumerate(value):
                item_name = {"REPEAT": name, "BRACKETS": f"{name}[]"}.get(array_format, f"{name}[{index}]")
                yield from _form_fields(item_name, item, array_format)
    else:
        yield name, _form_value(value)


def _http_task_request(parameters: dict, account: str, region: str) -> tuple[str, str, dict, bytes | None]:
    """The request AWS sends for an `arn:aws:states:::http:invoke` Task: the
    task's URL, method, headers, query and body merged with the connection's
    invocation parameters, and its API key or basic credentials injected."""
    import base64
    import urllib.parse

    method = str(parameters["Method"]).upper()
    url = str(parameters["ApiEndpoint"])
    headers: dict[str, str] = {str(k): str(v) for k, v in (parameters.get("Headers") or {}).items()}
    query: dict[str, Any] = dict(parameters.get("QueryParameters") or {})
    body = parameters.get("RequestBody")

    connection_arn = (parameters.get("Authentication") or {}).get("ConnectionArn")
    if connection_arn:
        auth_type, auth = _connection_parameters(connection_arn, account, region)
        if auth_type == "API_KEY":
            key = auth.get("ApiKeyAuthParameters") or {}
            headers[key["ApiKeyName"]] = key["ApiKeyValue"]
        elif auth_type == "BASIC":
            basic = auth.get("BasicAuthParameters") or {}
            token = base64.b64encode(f"{basic['Username']}:{basic['Password']}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        else:
            raise HttpTaskFailure(
                "Events.ConnectionResource.AuthInternalError",
                f"Connections of type {auth_type} are not emulated locally (API_KEY and BASIC are).",
            )
        invocation = auth.get("InvocationHttpParameters") or {}
        for header in invocation.get("HeaderParameters") or []:
            headers[header["Key"]] = header["Value"]
        for item in invocation.get("QueryStringParameters") or []:
            query[item["Key"]] = item["Value"]
        body_parameters = {item["Key"]: item["Value"] for item in invocation.get("BodyParameters") or []}
        if body_parameters:
            body = {**body_parameters, **body} if isinstance(body, dict) else (body if body is not None else body_parameters)

    if query:
        separator = "&" if urllib.parse.urlsplit(url).query else "?"
        url = f"{url}{separator}{urllib.parse.urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in query.items()})}"

    data: bytes | None = None
    if body is not None:
        encoding = ((parameters.get("Transform") or {}).get("RequestBodyEncoding") or "NONE").upper()
        if encoding == "URL_ENCODED" and isinstance(body, dict):
            array_format = (((parameters.get("Transform") or {}).get("RequestEncodingOptions") or {}).get("ArrayFormat") or "INDICES").upper()
            data = urllib.parse.urlencode(list(_form_fields("", body, array_format))).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif isinstance(body, str):
            data = body.encode()
            headers.setdefault("Content-Type", "text/plain; charset=UTF-8")
        else:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers.setdefault("Content-Type", "application/json; charset=UTF-8")
    headers.setdefault("User-Agent", f"Amazon|StepFunctions|HttpInvoke|{region}")
    return method, url, headers, data


def _http_task_call(parameters: dict, account: str, region: str) -> dict:
    """Send the request; answer AWS's result shape, or raise its error."""
    import http.client
    import urllib.error
    import urllib.request

    method, url, headers, data = _http_task_request(parameters, account, region)
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=_HTTP_TASK_TIMEOUT_SECONDS) as response:
            status, reason, raw_headers, raw_body = response.status, response.reason, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, reason, raw_headers, raw_body = error.code, error.reason, error.headers, error.read()
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        raise HttpTaskFailure("States.Http.Socket", f"Failed to connect to {url}: {reason}") from None

    text = raw_body.decode("utf-8", errors="replace")
    content_type = (raw_headers.get("Content-Type") or "").lower()
    body: Any = text
    if "json" in content_type and text:
        try:
            body = json.loads(text)
        except ValueError:
            body = text
    result_headers: dict[str, list[str]] = {}
    for name, value in raw_headers.items():
        result_headers.setdefault(name.lower(), []).append(value)
    result = {"Headers": result_headers, "ResponseBody": body, "StatusCode": status, "StatusText": str(reason)}
    if not 200 <= status < 300:
        raise HttpTaskFailure(f"States.Http.StatusCode.{status}", text)
    return result


def _vet_http_task(state_credentials: Any, parameters: dict) -> None:
    """With the local stack holding calls to their roles (patch 36), an HTTP
    Task asks it for states:InvokeHTTPEndpoint first, with the endpoint and the
    method as the condition keys AWS sets (states:HTTPEndpoint,
    states:HTTPMethod); refused, the Task fails with States.Permissions and
    nothing is sent."""
    caller = getattr(state_credentials, "local_caller", None)
    if caller is None or not _engine_calls_vetted():
        return
    endpoint, method = str(parameters.get("ApiEndpoint", "")), str(parameters.get("Method", "")).upper()
    check = {"action": "states:InvokeHTTPEndpoint", "resource": "*", "context": {"states:httpendpoint": endpoint, "states:httpmethod": method}}
    if not _VERDICTS.ask({"caller": caller, "checks": [check]}).get("proceed", True):
        raise HttpTaskFailure(
            "States.Permissions",
            f"The state machine's role is not authorized to perform states:InvokeHTTPEndpoint for {method} {endpoint} (see the local stack's log).",
        )


def support_http_task() -> None:
    """moto 5.2.1's engine has no HTTP Task: `arn:aws:states:::http:invoke`
    made the definition invalid ("Unknown service 'http'"), and a Retry or Catch
    on `States.Http.StatusCode.503` was refused too (only the engine's own
    `States.*` names may start with `States.`). Add the Task: the request AWS
    sends (the EventBridge connection's API key or basic credentials and its
    invocation parameters injected, JSON or URL-encoded body), AWS's result
    (`StatusCode`, `StatusText`, `Headers` as lists, `ResponseBody` parsed when
    the answer is JSON) and its errors (`States.Http.StatusCode.<code>` with the
    response body as cause, `States.Http.Socket` when nothing answers,
    `Events.ConnectionResource.*` for a connection it cannot use). Mocked cases
    may Throw `States.Http.*` names as well."""
    from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
    from moto.stepfunctions.parser.asl.component.common.error_name.error_name import ErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEvent
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import mock_eval_utils, state_task_factory
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import (
        StateTaskServiceCallback,
    )
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
    from moto.stepfunctions.parser.asl.parse import preprocessor

    class HttpErrorName(ErrorName):
        """`States.Http.*`: AWS's names for HTTP Task failures. Not one of the
        engine's own States errors, so `States.TaskFailed` matches it, as on AWS."""

    def error_name_factory(build: Callable[[str], Any]) -> Callable[[str], Any]:
        def error_name(error_name: str | None):  # callers pass it by this keyword, or by position
            if error_name is not None and error_name.startswith("States.Http."):
                return HttpErrorName(error_name)
            return build(error_name)

        return error_name

    preprocessor.CustomErrorName = error_name_factory(preprocessor.CustomErrorName)
    mock_eval_utils.CustomErrorName = error_name_factory(mock_eval_utils.CustomErrorName)

    # A Parallel branch or a Map iteration that fails for good passes its error up by name, as a
    # CustomErrorName built where the engine (or the Parallel patch above) imported it: allow the
    # States.Http. names there too, or the execution fails with States.Runtime instead.
    from moto.stepfunctions.parser.asl.component.common.error_name import custom_error_name

    refuse_states_prefix = custom_error_name.CustomErrorName.__init__

    def custom_error_name_init(self, error_name: str | None) -> None:
        if error_name is not None and error_name.startswith("States.Http."):
            ErrorName.__init__(self, error_name=error_name)
            return
        refuse_states_prefix(self, error_name)

    custom_error_name.CustomErrorName.__init__ = custom_error_name_init

    class StateTaskServiceHttp(StateTaskServiceCallback):
        def __init__(self):
            super().__init__(supported_integration_patterns=set())

        def _get_supported_parameters(self) -> set[str] | None:
            return _HTTP_TASK_PARAMETERS if self.resource.api_action.lower() == "invoke" else None

        def _from_error(self, env: Any, ex: Exception) -> Any:
            if isinstance(ex, HttpTaskFailure):
                error = (
                    HttpErrorName(ex.error) if ex.error.startswith("States.Http.")
                    else StatesErrorName.from_name(ex.error) if ex.error.startswith("States.")
                    else preprocessor.CustomErrorName(ex.error)
                )
                return FailureEvent(
                    env=env,
                    error_name=error,
                    event_type=HistoryEventType.TaskFailed,
                    event_details=EventDetails(
                        taskFailedEventDetails=TaskFailedEventDetails(
                            error=ex.error,
                            cause=ex.cause,
                            resource=self._get_sfn_resource(),
                            resourceType=self._get_sfn_resource_type(),
                        )
                    ),
                )
            return super()._from_error(env=env, ex=ex)

        def _eval_service_task(self, env: Any, resource_runtime_part: Any, normalised_parameters: dict, state_credentials: Any) -> None:
            _vet_http_task(state_credentials, normalised_parameters)
            env.stack.append(_http_task_call(normalised_parameters, resource_runtime_part.account, resource_runtime_part.region))

    original = state_task_factory.state_task_service_for

    def state_task_service_for(service_name: str):
        if service_name == "http":
            return StateTaskServiceHttp()
        return original(service_name)

    state_task_factory.state_task_service_for = state_task_service_for


# --------------------------------------------------------------------------- #
# Execution status change events and stopped .sync children (patches 39, 40)
# --------------------------------------------------------------------------- #
def _epoch_millis(moment: Any) -> int | None:
    if isinstance(moment, datetime.datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)
        return int(aware.timestamp() * 1000)
    return None


def _execution_status_change(execution: Any, starting: bool = False) -> dict | None:
    """The detail AWS puts in a "Step Functions Execution Status Change" event,
    or None for an EXPRESS execution (AWS emits these for STANDARD only).
    `starting`: the RUNNING event of a start, whatever the execution has come to
    since (a short one may have ended before its start is reported)."""
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramStopped

    state_machine = execution.state_machine
    if getattr(state_machine, "sm_type", "STANDARD") == "EXPRESS":
        return None
    status = "RUNNING" if starting else getattr(execution.exec_status, "value", execution.exec_status)
    error, cause = (None, None) if starting else (execution.error, execution.cause)
    worker = getattr(execution, "exec_worker", None)
    env = getattr(worker, "env", None)
    program_state = env.program_state() if env is not None else None
    if isinstance(program_state, ProgramStopped) and not starting:
        error, cause = program_state.error or None, program_state.cause or None
    output = execution.output if status == "SUCCEEDED" else None
    return {
        "executionArn": execution.exec_arn,
        "stateMachineArn": state_machine.arn,
        "name": execution.name,
        "status": status,
        "startDate": _epoch_millis(execution.start_date),
        "stopDate": _epoch_millis(execution.stop_date) if status != "RUNNING" else None,
        "input": execution.input_data if isinstance(execution.input_data, str) else json.dumps(execution.input_data),
        "output": output if output is None or isinstance(output, str) else json.dumps(output),
        "inputDetails": {"included": True},
        "outputDetails": {"included": True} if output is not None else None,
        "error": error,
        "cause": cause,
    }


def emit_execution_status_change_events() -> None:
    """AWS puts a "Step Functions Execution Status Change" event (source
    `aws.states`) on the account's default event bus when a STANDARD execution
    starts, succeeds, fails, times out or is stopped; moto's engine emits none,
    so a rule on them never fires. Emit them, in AWS's shape, into moto's
    EventBridge when the execution starts (RUNNING) and when it ends, whatever
    ended it (StopExecution included): its rules deliver them as any other
    event. EXPRESS executions emit none, as on AWS. Best effort, as on AWS: an
    event that cannot be put is logged, the execution is unaffected."""
    from moto.events.models import events_backends
    from moto.stepfunctions.parser.backend.execution import (
        BaseExecutionWorkerCommunication,
        Execution,
    )

    def emit(execution: Any, starting: bool = False) -> None:
        try:
            detail = _execution_status_change(execution, starting)
            if detail is None:
                return
            events_backends[execution.account_id][execution.region_name].put_events([{
                "Source": "aws.states",
                "DetailType": "Step Functions Execution Status Change",
                "Detail": json.dumps(detail),
                "Resources": [execution.exec_arn],
            }])
        except Exception as exc:  # noqa: BLE001 - the execution goes on regardless
            LOG.warning("execution status change event for %s not put: %r", getattr(execution, "exec_arn", "?"), exc)

    original_start = Execution.start

    def start(self: Any) -> None:
        # Before the worker runs: a short execution would otherwise report its end first.
        if self.exec_worker is None:
            emit(self, starting=True)
        original_start(self)

    original_terminated = BaseExecutionWorkerCommunication.terminated

    def terminated(self: Any) -> None:
        original_terminated(self)
        emit(self.execution)

    Execution.start = start
    BaseExecutionWorkerCommunication.terminated = terminated


def stop_sync_children_with_their_parent() -> None:
    """A `states:startExecution.sync` (or `.sync:2`) Task waits for the child
    execution it started; when its own execution is stopped, AWS stops the
    child too (best effort, with the StopExecution permission its role must
    hold for `.sync`). moto's engine only stops waiting, so the child runs on
    for a parent that no longer exists (an approval keeps asking its approver,
    for one). Stop the child when the waiting Task's execution was stopped. The
    stop is the engine's own, not held to the parent's role (LOCAL_IAM)."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
        StateTaskServiceSfn,
    )
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramStopped
    from moto.stepfunctions.responses import get_backend
    from moto.utilities.arns import parse_arn

    def remember_child(build: Callable[..., Any]) -> Callable[..., Any]:
        def build_resolver(self: Any, env: Any, *args: Any, **kwargs: Any) -> Any:
            submitted = env.stack[-1] if env.stack else None
            child = submitted.get("ExecutionArn") if isinstance(submitted, dict) else None
            resolver = build(self, env, *args, **kwargs)

            def resolve() -> Any:
                return resolver()

            resolve.child_execution_arn = child  # type: ignore[attr-defined]
            return resolve

        return build_resolver

    StateTaskServiceSfn._build_sync_resolver = remember_child(StateTaskServiceSfn._build_sync_resolver)
    StateTaskServiceSfn._build_sync2_resolver = remember_child(StateTaskServiceSfn._build_sync2_resolver)
    original_eval_sync = StateTaskServiceSfn._eval_sync

    def _eval_sync(self: Any, env: Any, sync_resolver: Any = None, *args: Any, **kwargs: Any) -> Any:
        outcome = original_eval_sync(self, env, sync_resolver, *args, **kwargs)
        child = getattr(sync_resolver, "child_execution_arn", None)
        if child and isinstance(env.program_state(), ProgramStopped):
            try:
                arn = parse_arn(child)
                get_backend(arn.account, arn.region).stop_execution(child)
            except Exception as exc:  # noqa: BLE001 - best effort, as on AWS
                LOG.warning("could not stop %s with its stopped parent: %r", child, exc)
        return outcome

    StateTaskServiceSfn._eval_sync = _eval_sync



def stop_executions_waiting_for_a_task_token() -> None:
    """StopExecution on an execution whose Task waits for its task token
    (`.waitForTaskToken`) set the execution's state to stopped but left the
    Task's thread waiting on the token until the Task's timeout, so the
    execution stayed RUNNING until then (and then ended as the timeout had it,
    not ABORTED). AWS ends a stopped execution at once, whatever its Tasks wait
    for. Interrupt the wait when the Task's execution (or the branch it runs in)
    is stopped; the stopped execution then ends ABORTED."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import (
        StateTaskServiceCallback,
    )
    from moto.stepfunctions.parser.asl.eval.environment import Environment
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramStopped

    waiting: dict[int, set] = {}
    lock = threading.Lock()
    original_wait = StateTaskServiceCallback._eval_wait_for_task_token
    original_set_stop = Environment.set_stop

    def _eval_wait_for_task_token(self: Any, env: Any, timeout_seconds: Any, callback_endpoint: Any, *args: Any, **kwargs: Any) -> Any:
        with lock:
            waiting.setdefault(id(env), set()).add(callback_endpoint)
        try:
            if not env.is_running():
                callback_endpoint.interrupt_all()
            return original_wait(self, env, timeout_seconds, callback_endpoint, *args, **kwargs)
        finally:
            with lock:
                endpoints = waiting.get(id(env))
                if endpoints is not None:
                    endpoints.discard(callback_endpoint)
                    if not endpoints:
                        del waiting[id(env)]

    def set_stop(self: Any, *args: Any, **kwargs: Any) -> None:
        original_set_stop(self, *args, **kwargs)
        with lock:
            endpoints = list(waiting.get(id(self), ()))
        for endpoint in endpoints:
            endpoint.interrupt_all()

    def keep_stop(method: Callable[..., Any]) -> Callable[..., Any]:
        # The interrupted Task fails on its way out; the execution stays stopped, not FAILED.
        def unless_stopped(self: Any, *args: Any, **kwargs: Any) -> None:
            if isinstance(self.program_state(), ProgramStopped):
                return
            method(self, *args, **kwargs)

        return unless_stopped

    StateTaskServiceCallback._eval_wait_for_task_token = _eval_wait_for_task_token
    Environment.set_stop = set_stop
    Environment.set_error = keep_stop(Environment.set_error)
    Environment.set_timed_out = keep_stop(Environment.set_timed_out)


def stop_just_started_executions() -> None:
    """StartExecution answers before the execution's worker thread has built
    the execution's environment (its history, program state and task tokens)
    and begun its program. In that window StopExecution was a 500
    (AttributeError on the missing environment), and once the environment
    existed but the program had not begun, the stop was dropped and the
    execution ran on. SendTaskSuccess/Failure/Heartbeat, with any token, were
    a 500 too while any execution of the account was in that window (they ask
    every RUNNING execution). Before that still, StartExecution puts the
    execution in the store with no status, and starts it after (after the RUNNING
    status change event, patch 39): ListExecutions or DescribeExecution then was a
    500 (`None.value`). AWS accepts all of them at once. An execution is RUNNING
    from its creation; `start` builds the environment before the worker's thread
    runs; a stop that comes before the program has begun marks the environment
    stopped, and the program, finding it stopped, records `ExecutionAborted`
    without entering a state."""
    from moto.stepfunctions.parser.api import ExecutionStatus
    from moto.stepfunctions.parser.asl.component.program.program import Program
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramStopped
    from moto.stepfunctions.parser.backend.execution import Execution
    from moto.stepfunctions.parser.backend.execution_worker import (
        ExecutionWorker,
        SyncExecutionWorker,
    )

    original_init = Execution.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.exec_status = ExecutionStatus.RUNNING

    original_environment = ExecutionWorker._get_evaluation_environment

    def _get_evaluation_environment(self: Any) -> Any:
        return self.env if self.env is not None else original_environment(self)

    def built_first(start: Callable[..., Any]) -> Callable[..., Any]:
        def start_with_environment(self: Any) -> None:
            if self.env is None:
                self.env = self._get_evaluation_environment()
            start(self)

        return start_with_environment

    original_stop = ExecutionWorker.stop

    def stop(self: Any, stop_date: Any, error: Any, cause: Any) -> None:
        env = self.env
        with env._state_mutex:
            if env._program_state is None:  # the program has not begun
                env._program_state = ProgramStopped(stop_date=stop_date, cause=cause, error=error)
                return
        original_stop(self, stop_date, error, cause)

    original_eval = Program.eval

    def eval_unless_stopped(self: Any, env: Any) -> None:
        if isinstance(env.program_state(), ProgramStopped):
            self._eval_body(env)  # enters no state; records ExecutionAborted
            return
        original_eval(self, env)

    Execution.__init__ = __init__
    ExecutionWorker._get_evaluation_environment = _get_evaluation_environment
    ExecutionWorker.start = built_first(ExecutionWorker.start)
    SyncExecutionWorker.start = built_first(SyncExecutionWorker.start)
    ExecutionWorker.stop = stop
    Program.eval = eval_unless_stopped


# --------------------------------------------------------------------------- #
# RedriveExecution (patch 42)
# --------------------------------------------------------------------------- #
REDRIVABLE_PERIOD = datetime.timedelta(days=14)
_REDRIVABLE_STATUSES = frozenset({"FAILED", "TIMED_OUT", "ABORTED"})
# Per redriven execution, the Parallel states to resume and how each branch
# resumes; a Parallel takes its entry the first time it runs after the redrive.
_REDRIVE_BRANCH_PLANS: dict[str, dict[str, list[dict]]] = {}
_REDRIVE_LOCK = threading.RLock()
# The plan of the inline Map being evaluated on this thread, for the JobPool it builds.
_REDRIVE_ITEMS = threading.local()


def _not_redrivable_reason(execution: Any) -> str | None:
    """None when RedriveExecution may run; otherwise AWS's redriveStatusReason."""
    if getattr(execution, "sm_type", "STANDARD") == "EXPRESS":
        return "Execution of an EXPRESS state machine cannot be redriven."
    status = str(getattr(execution.status, "value", execution.status))
    if status not in _REDRIVABLE_STATUSES:
        return f"Execution is {status} and cannot be redriven."
    stopped = execution.stop_date
    if stopped is not None and datetime.datetime.now(tz=datetime.timezone.utc) - stopped > REDRIVABLE_PERIOD:
        return "Execution redrivable period exceeded."
    return None


def _groups_of(definition: dict) -> tuple[dict[str, list[dict]], dict[str, dict]]:
    """Each Parallel of a definition with its branches, and each inline Map
    with the states its items go through, each {"StartAt", "States"}, at any
    depth (state names are unique in a machine)."""
    parallels: dict[str, list[dict]] = {}
    maps: dict[str, dict] = {}
    pending = [definition.get("States", {})]
    while pending:
        for name, state in pending.pop().items():
            if state.get("Type") == "Parallel":
                parallels[name] = state.get("Branches", [])
                pending.extend(branch.get("States", {}) for branch in parallels[name])
            elif state.get("Type") == "Map":
                processor = state.get("ItemProcessor") or state.get("Iterator") or {}
                if (processor.get("ProcessorConfig") or {}).get("Mode", "INLINE") == "INLINE":
                    maps[name] = processor
                    pending.append(processor.get("States", {}))
    return parallels, maps


def _entered_and_exited(events: list[dict], names: set[str], after_id: int = 0) -> tuple[dict | None, dict[str, dict]]:
    """The last state of `names` entered after `after_id`, and each one's last exit."""
    last_entered = None
    exited: dict[str, dict] = {}
    for event in events:
        if event["id"] <= after_id:
            continue
        entered = event.get("stateEnteredEventDetails")
        if entered and entered.get("name") in names:
            last_entered = event
        left = event.get("stateExitedEventDetails")
        if left and left.get("name") in names:
            exited[left["name"]] = event
    return last_entered, exited


def _resume_point(scope: dict, events: list[dict], after_id: int = 0) -> tuple[str, Any, int] | None:
    """Where a scope (the machine, or one Parallel branch) resumes: the last
    state entered and not left, with the input it was entered with. A state
    left just before the execution stopped resumes at its Next. None when
    nothing of the scope ran (it starts over) or it ended (nothing to redo)."""
    names = set(scope.get("States", {}))
    entered, exited = _entered_and_exited(events, names, after_id)
    if entered is None:
        return None
    name = entered["stateEnteredEventDetails"]["name"]
    left = exited.get(name)
    if left is None or left["id"] < entered["id"]:
        return name, json.loads(entered["stateEnteredEventDetails"].get("input") or "null"), entered["id"]
    state = scope["States"][name]
    if state.get("Next"):
        return state["Next"], json.loads(left["stateExitedEventDetails"].get("output") or "null"), left["id"]
    return None


def _branch_plan(branch: dict, events: list[dict], parallel_entered_id: int) -> dict:
    """A branch that ended (one of its terminal states left) keeps its output;
    one that failed or was aborted resumes where it stopped; one that never
    ran starts over."""
    names = set(branch.get("States", {}))
    _, exited = _entered_and_exited(events, names, parallel_entered_id)
    terminal = [
        exited[name]
        for name, state in branch.get("States", {}).items()
        if name in exited and (state.get("End") or state.get("Type") == "Succeed")
    ]
    resume = _resume_point(branch, events, parallel_entered_id)
    if terminal and (resume is None or max(e["id"] for e in terminal) > resume[2]):
        last = max(terminal, key=lambda e: e["id"])
        return {"kind": "done", "output": json.loads(last["stateExitedEventDetails"].get("output") or "null")}
    if resume is None:
        return {"kind": "start"}
    return {"kind": "resume", "state": resume[0], "input": resume[1]}


def _iteration_plans(processor: dict, events: list[dict], map_entered_id: int) -> dict[int, dict]:
    """Per item of an inline Map's last run, as for a Parallel's branches: an
    iteration that ended keeps its output, one that failed or was aborted
    resumes where it stopped; an item missing here (never started) starts."""
    by_id = {event["id"]: event for event in events}

    def iteration_of(event: dict) -> int | None:
        cursor: dict | None = event
        while cursor is not None and cursor["id"] > map_entered_id:
            if cursor["type"] == "MapIterationStarted":
                return cursor["mapIterationStartedEventDetails"]["index"]
            cursor = by_id.get(cursor["previousEventId"])
        return None

    iterations: dict[int, list[dict]] = {}
    for event in events:
        if event["id"] > map_entered_id and ("stateEnteredEventDetails" in event or "stateExitedEventDetails" in event):
            index = iteration_of(event)
            if index is not None:
                iterations.setdefault(index, []).append(event)
    return {index: _branch_plan(processor, own, 0) for index, own in iterations.items()}


def _resumed_by_redrive(entered_id: int, events: list[dict]) -> bool:
    """Whether a StateEntered event is a redrive resuming that state: it follows
    ExecutionRedriven, or opens a branch of a Parallel that a redrive resumed."""
    previous = events[events[entered_id - 1]["previousEventId"] - 1] if events[entered_id - 1]["previousEventId"] else None
    if previous is None:
        return False
    if previous["type"] == "ExecutionRedriven":
        return True
    if previous["type"] == "ParallelStateStarted" and previous["previousEventId"]:
        return _resumed_by_redrive(previous["previousEventId"], events)
    return False


def _resumed_program(program: Any, state_name: str, state_input: Any) -> Any:
    """A shallow copy of a (shared, immutable) program that starts at
    `state_name` with `state_input` instead of at its StartAt."""
    from moto.stepfunctions.parser.asl.component.common.flow.start_at import StartAt

    resumed = copy.copy(program)
    resumed.start_at = StartAt(state_name)
    program_class = type(program)

    def eval_resumed(env: Any) -> None:
        env.states.reset(input_value=copy.deepcopy(state_input))
        program_class.eval(resumed, env)

    resumed.eval = eval_resumed
    return resumed


def support_redrive_execution() -> None:
    """moto 5.2.1 has no RedriveExecution (its API types are there, the action
    is not). Add it as AWS documents it: a STANDARD execution that FAILED,
    TIMED_OUT or was ABORTED within the last 14 days goes on from the state it
    did not finish, with that state's input and the same context object
    (execution id, input, start time; `$$.Execution.RedriveCount` and
    `RedriveTime` added); states that succeeded are not run again, and in a
    Parallel or an inline Map only the branches or items that failed or were
    aborted run again (from the state they stopped in); the history goes on with an `ExecutionRedriven`
    event; DescribeExecution and ListExecutions carry redriveCount,
    redriveDate and redriveStatus (ListExecutions takes redriveFilter); the
    state machine timeout starts again. A redriven execution that fails can be
    redriven again. Errors as AWS names them: ExecutionDoesNotExist,
    ExecutionNotRedrivable (running, succeeded, EXPRESS, or stopped more than
    14 days ago), InvalidArn. Not done: Distributed Map runs."""
    from moto.core.exceptions import AWSError
    from moto.core.responses import ActionResult
    from moto.stepfunctions.parser.api import ExecutionStatus, HistoryEventType
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.distributed_iteration_component import (
        DistributedIterationComponent,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.inline_iteration_component import (
        InlineIterationComponent,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.job import Job, JobPool
    from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branches_decl import (
        BranchesDecl,
    )
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
    from moto.stepfunctions.parser.utils import TMP_THREADS
    from moto.stepfunctions.responses import StepFunctionResponse

    def redrive(execution: Any) -> None:
        worker = execution.exec_worker
        env = worker.env
        events = env.event_manager.get_event_history()
        definition = json.loads(execution.state_machine.definition)
        parallels, maps = _groups_of(definition)
        point = _resume_point(definition, events)
        if point is None:  # it ended without entering a state: start over
            point = (definition["StartAt"], execution.input_data, 0)
        state_name, state_input, _ = point
        # The Parallels and inline Maps on the way to the failure, outermost first: how each
        # branch (a list, in order) or item (by index) resumes.
        plans: dict[str, Any] = {}
        pending = [state_name]
        while pending:
            group = pending.pop()
            if group not in parallels and group not in maps:
                continue
            entries = [e["id"] for e in events if (e.get("stateEnteredEventDetails") or {}).get("name") == group]
            if not entries:
                continue
            # Its last run began at its last entry that was not an earlier redrive resuming it.
            fresh = [entry for entry in entries if not _resumed_by_redrive(entry, events)]
            run_began = fresh[-1] if fresh else entries[0]
            if group in parallels:
                plans[group] = [_branch_plan(branch, events, run_began) for branch in parallels[group]]
                pending.extend(plan["state"] for plan in plans[group] if plan["kind"] == "resume")
            else:
                plans[group] = _iteration_plans(maps[group], events, run_began)

        now = datetime.datetime.now(tz=datetime.timezone.utc)
        execution.redrive_count = getattr(execution, "redrive_count", 0) + 1
        execution.redrive_date = now
        context = env.states.context_object.context_object_data["Execution"]
        context["RedriveCount"] = execution.redrive_count
        context["RedriveTime"] = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        with _REDRIVE_LOCK:
            _REDRIVE_BRANCH_PLANS[execution.execution_arn] = plans
        program = _resumed_program(worker._get_evaluation_entrypoint(), state_name, state_input)

        execution.error = execution.cause = execution.output = None
        execution.stop_date = None
        env._program_state = None  # running again from the resumed state
        env.stack.clear()
        env.heap.clear()
        env.event_manager.add_event(
            context=env.event_history_context,
            event_type=HistoryEventType.ExecutionRedriven,
            event_details=EventDetails(executionRedrivenEventDetails={"redriveCount": execution.redrive_count}),
        )
        execution.exec_status = ExecutionStatus.RUNNING

        def run() -> None:
            try:
                program.eval(env)
            finally:
                with _REDRIVE_LOCK:
                    _REDRIVE_BRANCH_PLANS.pop(execution.execution_arn, None)
            worker._execution_communication.terminated()

        thread = threading.Thread(target=run, daemon=True)
        TMP_THREADS.append(thread)
        thread.start()

    original_branches_eval = BranchesDecl._eval_body

    def _eval_body(self: Any, env: Any) -> None:
        context = env.states.context_object.context_object_data
        execution_arn = context["Execution"]["Id"]
        parallel = (context.get("State") or {}).get("Name")
        with _REDRIVE_LOCK:
            plans = _REDRIVE_BRANCH_PLANS.get(execution_arn)
            plan = plans.pop(parallel, None) if plans else None
        if not isinstance(plan, list) or len(plan) != len(self.programs):
            return original_branches_eval(self, env)
        running = []
        for branch, program in zip(plan, self.programs):
            if branch["kind"] == "resume":
                running.append(_resumed_program(program, branch["state"], branch["input"]))
            elif branch["kind"] == "start":
                running.append(program)
        if running:
            subset = copy.copy(self)
            subset.programs = running
            original_branches_eval(subset, env)
            ran = iter(env.stack.pop())
        else:
            env.stack.pop()  # the Parallel's input: every branch had ended
            ran = iter(())
        env.stack.append([branch["output"] if branch["kind"] == "done" else next(ran) for branch in plan])

    BranchesDecl._eval_body = _eval_body

    # An inline Map's items are run by a JobPool its _eval_body builds (moto's, or patch 42's):
    # told the plan on this thread, the pool holds only the items to run, each under its own
    # index (MapIterationStarted, $$.Map.Item.Index) and from where it resumes.
    original_pool_init = JobPool.__init__

    def pool_init(self: Any, job_program: Any, job_inputs: list) -> None:
        plan = getattr(_REDRIVE_ITEMS, "plan", None)
        if plan is None:
            return original_pool_init(self, job_program, job_inputs)
        _REDRIVE_ITEMS.plan = None
        original_pool_init(self, job_program, [])
        jobs = []
        for index, item in enumerate(job_inputs):
            item_plan = plan.get(index, {"kind": "start"})
            if item_plan["kind"] == "resume":
                jobs.append(Job(job_index=index, job_program=_resumed_program(job_program, item_plan["state"], item_plan["input"]), job_input=item))
            elif item_plan["kind"] == "start":
                jobs.append(Job(job_index=index, job_program=job_program, job_input=item))
        self._jobs_number = len(jobs)
        self._open_jobs.extend(reversed(jobs))

    JobPool.__init__ = pool_init

    original_map_eval = InlineIterationComponent._eval_body

    def _map_eval_body(self: Any, env: Any) -> None:
        context = env.states.context_object.context_object_data
        with _REDRIVE_LOCK:
            plans = _REDRIVE_BRANCH_PLANS.get(context["Execution"]["Id"])
            plan = plans.pop((context.get("State") or {}).get("Name"), None) if plans else None
        if not isinstance(plan, dict) or isinstance(self, DistributedIterationComponent):
            return original_map_eval(self, env)
        items = len(env.stack[-1].input_items)
        _REDRIVE_ITEMS.plan = plan
        try:
            original_map_eval(self, env)
        finally:
            _REDRIVE_ITEMS.plan = None
        ran = iter(env.stack.pop())  # the outputs of the items that ran, in index order
        env.stack.append([plan[index]["output"] if plan.get(index, {}).get("kind") == "done" else next(ran) for index in range(items)])

    InlineIterationComponent._eval_body = _map_eval_body

    def redrive_execution(self: Any) -> Any:
        arn = self._get_param("executionArn")
        client_token = self._get_param("clientToken")
        execution = self.stepfunction_backend.describe_execution(arn)  # InvalidArn, ExecutionDoesNotExist
        with _REDRIVE_LOCK:
            if client_token and getattr(execution, "redrive_client_token", None) == client_token:
                return ActionResult({"redriveDate": execution.redrive_date})
            reason = _not_redrivable_reason(execution)
            if reason is not None:
                raise AWSError(reason, exception_type="ExecutionNotRedrivable", status=400)
            execution.redrive_client_token = client_token
            redrive(execution)
        return ActionResult({"redriveDate": execution.redrive_date})

    def redrive_fields(execution: Any) -> dict:
        if getattr(execution, "sm_type", "STANDARD") == "EXPRESS":
            return {}
        fields: dict[str, Any] = {"redriveCount": getattr(execution, "redrive_count", 0)}
        if getattr(execution, "redrive_date", None) is not None:
            fields["redriveDate"] = execution.redrive_date
        return fields

    original_describe = StepFunctionResponse.describe_execution

    @functools.wraps(original_describe)
    def describe_execution(self: Any) -> Any:
        result = original_describe(self)
        execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
        result.result.update(redrive_fields(execution))
        reason = _not_redrivable_reason(execution)
        result.result["redriveStatus"] = "REDRIVABLE" if reason is None else "NOT_REDRIVABLE"
        if reason is not None:
            result.result["redriveStatusReason"] = reason
        return result

    original_list = StepFunctionResponse.list_executions

    @functools.wraps(original_list)
    def list_executions(self: Any) -> Any:
        redrive_filter = self._get_param("redriveFilter")
        if redrive_filter not in (None, "REDRIVEN", "NOT_REDRIVEN"):
            raise AWSError(
                f"1 validation error detected: Value '{redrive_filter}' at 'redriveFilter' failed to satisfy "
                "constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]",
                exception_type="ValidationException",
                status=400,
            )
        result = original_list(self)
        machine = self.stepfunction_backend.describe_state_machine(self._get_param("stateMachineArn"))
        by_arn = {execution.execution_arn: execution for execution in machine.executions}
        items = []
        for item in result.result["executions"]:
            execution = by_arn.get(item["executionArn"])
            if execution is None:
                items.append(item)
                continue
            redriven = getattr(execution, "redrive_count", 0) > 0
            if (redrive_filter == "REDRIVEN" and not redriven) or (redrive_filter == "NOT_REDRIVEN" and redriven):
                continue
            item.update(redrive_fields(execution))
            items.append(item)
        result.result["executions"] = items
        return result

    StepFunctionResponse.redrive_execution = redrive_execution
    StepFunctionResponse.describe_execution = describe_execution
    StepFunctionResponse.list_executions = list_executions



PATCHES = [
    enable_state_machine_execution,
    fix_parser_error_codes,
    fix_state_machine_deepcopy,
    default_execution_name,
    cache_jsonpath_parsers,
    cache_definition_parse_trees,
    support_express_and_sync_execution,
    deliver_events_to_state_machines,
    deliver_events_to_lambda_functions,
    fix_sfn_start_execution_integration,
    fix_describe_execution_output_encoding,
    support_mock_config,
    keep_mocked_service_errors,
    mock_states_errors,
    fix_send_task_failure_cause,
    fix_singleton_array_paths,
    stop_parallel_branches_like_aws,
    stop_map_iterations_like_aws,
    complete_mocked_task_failures,
    quiet_expected_failure_logs,
    explain_unknown_mock_test_cases,
    reuse_engine_boto_clients,
    share_evaluation_programs,
    dispatch_engine_calls_in_process,
    cache_request_routing_lookups,
    scheduled_rules_match_no_events,
    pascal_case_aws_sdk_error_names,
    serialize_dynamodb_writes,
    serialize_attribute_values_directly,
    look_up_account_backends_without_lock,
    compare_key_values_cheaply,
    project_top_level_attributes_directly,
    reuse_parsed_update_expressions,
    back_up_only_the_items_a_transaction_touches,
    traverse_update_expressions_directly,
    attribute_engine_calls_to_their_roles,
    support_http_task,
    emit_execution_status_change_events,
    stop_sync_children_with_their_parent,
    stop_executions_waiting_for_a_task_token,
    support_redrive_execution,
    stop_just_started_executions,
]


def skipped_patches() -> set[str]:
    return {s.strip() for s in os.environ.get("MOTO_LAUNCHER_SKIP_PATCHES", "").split(",") if s.strip()}


def apply_patches() -> None:
    skipped = skipped_patches()
    # Load the Step Functions engine and moto's server first, so every module a
    # patch touches (or rebinds names in) is imported.
    import moto.events.models  # noqa: F401
    import moto.stepfunctions.parser.models  # noqa: F401
    import moto.stepfunctions.responses  # noqa: F401

    for patch in PATCHES:
        if patch.__name__ in skipped:
            print(f"moto-launcher: skipping patch {patch.__name__}", file=sys.stderr, flush=True)
            continue
        patch()


# --------------------------------------------------------------------------- #
# Server
# --------------------------------------------------------------------------- #
def keep_alive_request_handler() -> Any:
    """werkzeug's development server closes the connection after every response
    (it cannot tell where an unread request body ends), so every request the
    local stack makes paid for a new TCP connection and a new thread, then a
    10 ms wait for stray bytes: ~1.2 ms of this process's CPU per request, half
    of a GetItem. This handler reads the body through its Content-Length (or
    its chunks), so it knows where the next request starts, and keeps the
    connection open as HTTP/1.1 does by default. The response goes out in one
    write, with its length. A request whose body has no length, or a failure
    while answering, still ends with `Connection: close`."""
    from werkzeug.exceptions import InternalServerError
    from werkzeug.serving import WSGIRequestHandler
    from werkzeug.wsgi import LimitedStream

    class KeepAliveRequestHandler(WSGIRequestHandler):
        protocol_version = "HTTP/1.1"

        def run_wsgi(self) -> None:
            if self.headers.get("Expect", "").lower().strip() == "100-continue":
                self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            environ = self.environ = self.make_environ()
            body: Any = environ["wsgi.input"]
            if not environ.get("wsgi.input_terminated"):  # not chunked
                try:
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    length = -1
                if length < 0:
                    self.close_connection = True
                else:
                    body = environ["wsgi.input"] = LimitedStream(self.rfile, length)
            answer: list = []
            chunks: list[bytes] = []

            def start_response(status: str, headers: list, exc_info: Any = None) -> Callable[[bytes], None]:
                answer[:] = [status, headers]
                return chunks.append

            try:
                result = self.server.app(environ, start_response)
                try:
                    chunks.extend(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()
            except Exception:  # noqa: BLE001 - answered 500 and logged, as werkzeug does
                LOG.exception("Error on request %s %s", self.command, self.path)
                chunks.clear()
                chunks.extend(InternalServerError()(environ, start_response))
                self.close_connection = True
            try:
                # Whatever of the body the application left unread, so the next request starts where it should.
                while body.read(65536):
                    pass
            except Exception:  # noqa: BLE001 - a body we cannot get past ends the connection
                self.close_connection = True

            status, headers = answer
            code = int(status.split(None, 1)[0])
            payload = b"" if self.command == "HEAD" else b"".join(chunks)
            lines = [f"{self.protocol_version} {status}"]
            has_length = False
            for name, value in headers:
                lowered = name.lower()
                if lowered == "connection":
                    continue
                has_length = has_length or lowered == "content-length"
                lines.append(f"{name}: {value}")
            # A HEAD answer's length is its GET's: without one from the application, none.
            if not has_length and self.command != "HEAD" and not (100 <= code < 200 or code in (204, 304)):
                lines.append(f"Content-Length: {len(payload)}")
            if self.close_connection:
                lines.append("Connection: close")
            lines.append(f"Server: {self.version_string()}")
            lines.append(f"Date: {self.date_time_string()}")
            self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload)
            self.log_request(code, len(payload))

    return KeepAliveRequestHandler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)

    # Must be set before moto reads it (the engine reads it for every call).
    if not os.environ.get("MOTO_PORT"):
        os.environ["MOTO_PORT"] = str(args.port)
    # MOTO_LAUNCHER_LOG_LEVEL=INFO also shows werkzeug's per-request access log.
    log_level = os.environ.get("MOTO_LAUNCHER_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(level=log_level)
    logging.getLogger("werkzeug").setLevel(log_level)

    apply_patches()

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)
    # The server's own fix, skippable by name like the patches.
    keep_alive = "keep_alive_request_handler" not in skipped_patches()
    server = make_server(args.host, args.port, app, threaded=True, request_handler=keep_alive_request_handler() if keep_alive else None)

    def stop(signum: int, _frame: Any) -> None:
        # serve_forever() runs in this (main) thread; shut it down from another.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    print(f"moto-launcher ready on http://{args.host}:{args.port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
