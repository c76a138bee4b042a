"""Autograder for notebook assignments: hidden tests in a trusted process, student code in a
sandboxed worker that returns plain data only."""
from .course import load as load_course
from .final import FinalGrade, final_grade
from .grading import grade_many, grade_submission
from .records import CheckRecord, Report
from .sandbox import choose_tier

__all__ = ["CheckRecord", "FinalGrade", "Report", "choose_tier", "final_grade", "grade_many",
           "grade_submission", "load_course"]
