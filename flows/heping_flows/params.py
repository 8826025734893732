"""The run parameters live in the library (:mod:`heping_data.run.params`); names kept here."""

from heping_data.run.params import (
    ParameterError,
    RunParams,
    field_default,
    output_problem,
    validate_params,
)

__all__ = ["ParameterError", "RunParams", "field_default", "output_problem", "validate_params"]
