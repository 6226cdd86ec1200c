"""Every error code a job can fail with, in plain language: what happened and what to do.

Codes come from the engine (``engine/errors.py``, ``spec.py``, ``capacity.py``, the worker
and the runners), the scheduler (``jobs/outcomes.py``, ``jobs/scheduler.py``), submission
checks (``jobs/validation.py``) and the IBM path (``engine/ibm/``, ``backends/ibm.py``).
``tests/assistant/test_failure_explanations.py`` reads those sources and fails when a code
appears there without an entry here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    code: str
    title: str
    cause: str
    fix: str
    retry_helps: bool = False  # would running the same job again, unchanged, likely work?


def _e(code: str, title: str, cause: str, fix: str, retry_helps: bool = False) -> Explanation:
    return Explanation(code, title, cause, fix, retry_helps)


_ENTRIES = [
    # --- the job spec and the circuit (engine) ------------------------------------------
    _e(
        "invalid_job",
        "The job's settings are not valid",
        "A setting of the job (named in the message) has a value qdeck cannot run: a "
        "wrong primitive, method, optimization level, seed, precision, parameter values "
        "or observables.",
        "Correct the field the message names and submit again; `qdeck review FILE.qasm` "
        "checks the circuit itself.",
    ),
    _e(
        "circuit_parse_error",
        "The circuit could not be read",
        "The OpenQASM text (or QPY data) does not parse: a typo, a missing ';', an "
        "undeclared register, a gate that is not defined, or an include other than "
        "qelib1.inc / stdgates.inc.",
        "Fix the line the error points at. Declare registers before using them, end every "
        "statement with ';', and include qelib1.inc (OpenQASM 2) or stdgates.inc (3).",
    ),
    _e(
        "too_large_for_memory",
        "The simulation needs more memory than allowed",
        "A dense simulation stores 2^n amplitudes (16 bytes each for a statevector, 2^2n "
        "for a density matrix), so each added qubit doubles the memory needed; this "
        "circuit is past the worker's memory limit.",
        "Use fewer qubits, pick the stabilizer method for Clifford-only circuits or "
        "matrix_product_state for weakly entangled ones, or run on a fake device (only the "
        "qubits the circuit touches are simulated).",
    ),
    _e(
        "unknown_backend",
        "There is no such backend",
        "The backend name is not aer_simulator, not one of the fake_* devices, and not an "
        "IBM Quantum device your token can reach.",
        "Pick a name from `qdeck backends list` (GET /api/v1/backends); names are "
        "lower-case, e.g. fake_sherbrooke.",
    ),
    _e(
        "circuit_too_wide",
        "The circuit has more qubits than the device",
        "Every circuit qubit needs its own physical qubit; the circuit declares more than "
        "the device has.",
        "Remove unused qubits, or choose a device at least as wide (the analyzer lists the "
        "ones that fit).",
    ),
    _e(
        "too_many_shots",
        "More shots than the server allows",
        "The shots asked for (or the shots a precision implies, 1/precision^2) exceed this "
        "server's per-job limit.",
        "Ask for fewer shots (the standard error falls only as 1/sqrt(shots)), or split the "
        "work into several jobs.",
    ),
    _e(
        "observable_width_mismatch",
        "An observable does not match the circuit's width",
        "Each Pauli string must have one letter per circuit qubit (the rightmost letter is "
        "qubit 0); this one is longer or shorter than the circuit.",
        "Pad the Pauli string with I for the qubits it does not act on.",
    ),
    # --- running (workers, scheduler) ---------------------------------------------------
    _e(
        "out_of_memory",
        "The simulation ran out of memory",
        "The worker process could not allocate memory while simulating (routing can add "
        "qubits on a device, and noise needs a density matrix or many trajectories).",
        "Use fewer qubits or shots, another method, or a device with fewer active qubits.",
    ),
    _e(
        "simulation_error",
        "The simulator stopped with an error",
        "Qiskit Aer raised an error qdeck did not expect while running the circuit; the "
        "message is Aer's own.",
        "Read Aer's message; a circuit that runs on aer_simulator but not on a device often "
        "uses an instruction the noise model lacks. Report it if the circuit is valid.",
    ),
    _e(
        "worker_died",
        "The worker running the job stopped",
        "The process simulating the job exited (killed by the operating system, typically "
        "for memory) before it reported a result.",
        "Retry once; if it dies again, make the job smaller (qubits, shots, parameter sets).",
        retry_helps=True,
    ),
    _e(
        "timeout",
        "The job ran longer than its time limit",
        "The job's timeout (or the server's default) passed before the simulation finished; "
        "simulation time grows exponentially with the number of entangled qubits.",
        "Raise timeout_seconds, use fewer qubits or shots, or a cheaper method "
        "(stabilizer, matrix_product_state).",
    ),
    _e(
        "server_lost",
        "The server running the job stopped",
        "The qdeck server holding the job died or restarted; the job was requeued and "
        "failed again each time, up to the attempt limit.",
        "Retry the job once the server is stable.",
        retry_helps=True,
    ),
    _e(
        "dispatch_failed",
        "The job could not be handed to a runner",
        "Starting the job on its runner failed repeatedly (a worker pool or a Ray cluster "
        "that is not reachable).",
        "Retry later; an administrator should check the workers or QDECK_RAY_ADDRESS.",
        retry_helps=True,
    ),
    _e(
        "failed",
        "The job failed",
        "The runner reported a failure without a specific code.",
        "Read the message and the timeline; retry once, and report it if it repeats.",
        retry_helps=True,
    ),
    _e(
        "refused",
        "The job was not allowed to start",
        "Its execution target refused it when it was about to start, without a reason code.",
        "Read the message; check the backend's requirements (credentials) and retry.",
    ),
    _e(
        "job_not_found",
        "The job does not exist (for you)",
        "No job has this id in a workspace you belong to.",
        "Check the id (`qdeck jobs list`), and that you are a member of its workspace.",
    ),
    # --- IBM Quantum --------------------------------------------------------------------
    _e(
        "ibm_token_required",
        "No IBM Quantum token is set up",
        "The backend is a real IBM Quantum device, and the submitter has no IBM Quantum API "
        "token stored in qdeck (or removed it before the job started).",
        "Store your token (Settings → IBM Quantum, or PUT /api/v1/me/secrets/"
        "ibm_quantum_token) and submit again, or pick a fake_* device.",
    ),
    _e(
        "ibm_credentials_missing",
        "The IBM job had no credentials",
        "The IBM runner was asked to run a job without the submitter's credentials.",
        "Store an IBM Quantum token and resubmit; report it if the token is set up.",
    ),
    _e(
        "ibm_credentials_invalid",
        "The stored IBM credentials are malformed",
        "The stored token, channel or instance cannot be used to build an IBM connection.",
        "Store the token again, with the channel and instance (CRN) IBM shows you.",
    ),
    _e(
        "ibm_auth_failed",
        "IBM Quantum rejected the API token",
        "IBM answered 401/403: the token is wrong, expired or revoked, or lacks access.",
        "Create a new API key on quantum.cloud.ibm.com, store it in qdeck, then resubmit.",
    ),
    _e(
        "ibm_instance_not_found",
        "The IBM instance is not available to this token",
        "The instance (CRN) stored with the token does not belong to that account.",
        "Copy the instance CRN from your IBM Quantum dashboard, or store the token without "
        "an instance.",
    ),
    _e(
        "ibm_network_error",
        "IBM Quantum could not be reached",
        "The connection to IBM Cloud failed (DNS, TLS, proxy or a dropped connection).",
        "Usually passing: qdeck retries. If it persists, check the server's internet access.",
        retry_helps=True,
    ),
    _e(
        "ibm_unavailable",
        "IBM Quantum is temporarily unavailable",
        "IBM answered with a 5xx error: their service is down or overloaded.",
        "Retry later; qdeck already retried with backoff.",
        retry_helps=True,
    ),
    _e(
        "ibm_rate_limited",
        "IBM Quantum is rate-limiting requests",
        "Too many requests reached IBM from this account in a short time (HTTP 429).",
        "Wait a minute, then retry; submit fewer jobs at once (a batch or session helps).",
        retry_helps=True,
    ),
    _e(
        "ibm_timeout",
        "IBM Quantum did not answer in time",
        "A request to IBM, or waiting for its answer, timed out.",
        "Retry later; qdeck retries on its own a few times.",
        retry_helps=True,
    ),
    _e(
        "ibm_not_found",
        "IBM Quantum could not find what was asked for",
        "IBM answered 404: the device, instance or job is not visible to this account.",
        "Check the device name in `qdeck backends list` and your instance's access.",
    ),
    _e(
        "ibm_request_rejected",
        "IBM Quantum rejected the request",
        "IBM answered with a 4xx error for the submission (its message says why: often a "
        "usage limit, an option the device lacks, or a plan that does not cover it).",
        "Read IBM's message; change what it names and resubmit.",
    ),
    _e(
        "ibm_invalid_input",
        "IBM Quantum refused the circuit or options",
        "The circuit or an option is not valid for the device (for example a gate that is "
        "not in its instruction set after transpiling, or an out-of-range option).",
        "Check the circuit against the device's basis gates and the options' ranges.",
    ),
    _e(
        "ibm_api_error",
        "IBM Quantum answered unexpectedly",
        "IBM's API returned something the client library did not expect.",
        "Usually passing: retry. Report it if it repeats.",
        retry_helps=True,
    ),
    _e(
        "ibm_error",
        "IBM Quantum reported an error",
        "The IBM client library raised an error without an HTTP status.",
        "Read the message; retry once, and report it if it repeats.",
    ),
    _e(
        "ibm_adapter_error",
        "The IBM adapter hit an unexpected error",
        "Something failed inside qdeck's IBM adapter that it has no specific code for.",
        "Read the message; retry once, and report it with the job id if it repeats.",
    ),
    _e(
        "ibm_job_failed",
        "IBM Quantum ran the job and it failed there",
        "IBM accepted the job, and the device or its runtime reported failure (its message "
        "says why: often a circuit too long for the device's coherence or limits).",
        "Read IBM's reason; shorten the circuit (fewer two-qubit gates) or change options.",
    ),
    _e(
        "ibm_job_timeout",
        "The job exceeded IBM's maximum execution time",
        "IBM stopped the job after its maximum execution time (set by your plan or the "
        "job's max_execution_time).",
        "Use fewer shots or circuits per job, or ask for a longer limit.",
    ),
    _e(
        "ibm_job_cancelled",
        "The job was cancelled on IBM Quantum",
        "Someone (or IBM) cancelled the remote job outside qdeck.",
        "Resubmit if it should run.",
    ),
    _e(
        "ibm_job_not_found",
        "IBM Quantum no longer knows this job",
        "The remote job id qdeck follows is not visible to the token (deleted, or another "
        "account's).",
        "Resubmit the job; check the token belongs to the account that ran it.",
    ),
    _e(
        "ibm_attach_unavailable",
        "The running IBM job could not be followed again",
        "After a server restart qdeck tried to re-attach to the remote job and could not.",
        "Look the job up on IBM Quantum by its remote id; resubmit if it did not finish.",
    ),
]

EXPLANATIONS: dict[str, Explanation] = {entry.code: entry for entry in _ENTRIES}
UNKNOWN = Explanation(
    "unknown",
    "The job failed for a reason the assistant does not know",
    "The error code is not one qdeck's engine produces; the message is all there is.",
    "Read the message and the timeline; retry once, and report the code if it repeats.",
)


def explanation_for(code: str | None) -> Explanation:
    return EXPLANATIONS.get(code or "failed", UNKNOWN)
