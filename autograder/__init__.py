"""Autograder for notebook assignments: hidden tests in a trusted process, student code in a
sandboxed worker that returns plain data only."""
from .course import load as load_course
from .grading import grade_many, grade_submission
from .records import CheckRecord, Report
from .sandbox import choose_tier

__all__ = ["CheckRecord", "Report", "choose_tier", "grade_many", "grade_submission",
           "load_course"]
