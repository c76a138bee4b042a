"""KeyboardInterrupt and SystemExit raised from a function.

A safe grader catches them in the worker as the student's exceptions: the check fails with
the exception's name, and nothing reaches the grader's own pytest session (which would stop
the batch). SIGINT sent to the worker itself, _thread.interrupt_main() and GeneratorExit are
the same. The softmax earns exactly what a missing softmax earns.
"""
from .conftest import MISSING, needs_bwrap

pytestmark = needs_bwrap

RAISER = '''
import os, signal, _thread

def softmax(scores):
    {body}
    return scores
'''
VARIANTS = {
    "keyboard_interrupt": "raise KeyboardInterrupt()",
    "system_exit": "raise SystemExit(0)",
    "generator_exit": "raise GeneratorExit()",
    "sigint_self": "signal.raise_signal(signal.SIGINT)",
    "interrupt_main": "_thread.interrupt_main(); import time; time.sleep(0.5)",
}


def test_interrupts_are_the_students_exceptions(submission, grade_batch, short_course):
    """Do KeyboardInterrupt and SystemExit from softmax fail its checks and nothing more?"""
    attacks = {name: submission("softmax", name=name, replace={
        "softmax-impl": RAISER.format(body=body)}) for name, body in VARIANTS.items()}
    attacks["twin"] = submission("softmax", name="twin", replace={"softmax-impl": MISSING})
    batch = grade_batch(short_course, attacks, budget=60)
    for name in VARIANTS:
        batch.earns_like(name, "twin")
    assert "KeyboardInterrupt" in batch.messages("keyboard_interrupt")
    assert "SystemExit" in batch.messages("system_exit")
