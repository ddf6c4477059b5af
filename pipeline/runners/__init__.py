"""Pipeline runners: one interface (submit, status, logs, cancel) for a phase run locally or on HF Jobs."""

from pipeline.runners.base import (
    CostEstimate,
    Flavor,
    JobStatus,
    PipelineRunners,
    Runner,
    RunnerError,
    RunSpec,
    default_work_root,
    resume,
)
from pipeline.runners.book import JobBook
from pipeline.runners.catalog import FieldInfo, PhaseInfo, list_phases

__all__ = ["CostEstimate", "FieldInfo", "Flavor", "JobBook", "JobStatus", "PhaseInfo", "PipelineRunners", "Runner",
           "RunnerError", "RunSpec", "default_work_root", "list_phases", "resume"]
