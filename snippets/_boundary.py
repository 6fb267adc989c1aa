"""The boundary of the public functions: every argument checked against its annotation, once.

A public function states what it accepts in its signature, with the page's letters for shapes:

    def least_squares(Phi: Array("n k"), y: Array("n")) -> np.ndarray:

and its body is the mathematics alone. `enforce_annotations(globals())`, the last line of each
chapter's module, wraps each public function whose signature declares such kinds, so that a call
from outside the package first checks and converts every declared argument: an error names the
argument, says what was expected and what was given. A call made while another checked call runs
(a training step calling `gradients`, an IRLS iteration calling `deviance`) is not checked again:
its arguments were checked where they entered the package, so inner loops pay nothing for it. (Only
a function whose every argument is declared counts as inside: what it passes on came through here.)

Kinds (each accepts what numpy would read as it, and refuses the rest):
- `Array("n p")`: a non-empty array of finite reals (converted to float) with one letter or number
  per axis; one letter is one size throughout a call. `Array("*s")` is any shape, the same for every
  argument that says `*s`; `Array(...)` any shape. `Labels("n")` holds 0s and 1s (booleans too);
  `Response("n")` is real, booleans read as 0/1; `Targets("n k")` takes a vector for one column.
- `Real`, `Positive`, `NonNegative`: finite numbers; `Tolerance` (>= 1e-15) and `Step` (>= 1e-10), and
  `at_least(m, why)`: numbers below which rounding decides the result. `PositiveInt`, `NonNegativeInt`:
  integers up to COUNT_CAP (a million), so that every call returns; `Seed`: any integer >= 0.
- `Function`: a callable; `Elementwise`: one that acts on an array entry by entry (np.sin, not
  math.sin). `Literal[...]`: one of the names listed. A class of snippets/ (or numpy's Generator):
  an instance of it; an instance with a `letters` mapping (a Network: d, k, P) fixes those letters
  for the call.
- `tuple[K, ...]` and `list[K]`: a non-empty list or tuple whose entries are each a K.
- `Annotated[K, rule, ...]` (or `Array("n", rule)`): `rule(value, **others)` also holds, where the
  names of the rule's other parameters are other arguments of the call; it returns what is wrong, in
  words, or None (beginning "a, b: " when the fault is of two arguments together).

What a checked call returns is checked too: a result with NaN or infinity (the arguments were
finite, so something overflowed) is an error naming the arguments of the most extreme magnitude,
never a value; and a function annotated `-> Map("x", "p")` returns a map that checks its argument
x like any public function, with p as the call that made it fixed it.

Why a decorator of the project's own, and not jaxtyping with beartype or pydantic's validate_call,
is in CONTRIBUTING ("Argument checks").
"""

from __future__ import annotations

import abc
import contextvars
import dataclasses
import functools
import inspect
import numbers
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

# True while a checked call runs: the calls it makes are inside the boundary.
_inside = contextvars.ContextVar("inside_the_boundary", default=False)

Rule = Callable[..., "str | None"]


@dataclass
class Call:
    """What one call has fixed so far: each letter's size and the argument that fixed it."""

    letters: dict[str, tuple[object, str]] = field(default_factory=dict)


class Kind(abc.ABC):
    """What one argument must be. `convert` checks a value from outside and returns what the body
    gets, or raises; `adapt` gives a value from inside the package the same form, unchecked."""

    @abc.abstractmethod
    def convert(self, name: str, value: object, call: Call) -> object:
        """The value the body gets, or a TypeError or ValueError naming `name`."""

    def adapt(self, value: object) -> object:
        return value


def _type_name(value: object) -> str:
    return type(value).__name__


@dataclass(frozen=True)
class ArrayKind(Kind):
    axes: tuple[str, ...] | None  # None: any shape
    booleans: bool = False  # True/False read as 1/0
    binary: bool = False  # every entry 0 or 1
    column: bool = False  # a vector stands for an n x 1 matrix

    def adapt(self, value: object) -> np.ndarray:
        array = np.asarray(value, dtype=float)
        return array[:, None] if self.column and array.ndim == 1 else array

    def describe(self) -> str:
        return "(" + ", ".join(self.axes) + ("," if len(self.axes) == 1 else "") + ")"

    def convert(self, name: str, value: object, call: Call) -> np.ndarray:
        what = "0/1 labels" if self.binary else "real numbers"
        if isinstance(value, (str, bytes)) or value is None:
            raise TypeError(f"{name}: expected an array of {what}, got {_type_name(value)}")
        if isinstance(value, np.ma.MaskedArray):
            raise TypeError(f"{name}: expected an array of {what}, got a masked array (fill or drop the "
                            "masked entries first)")
        try:
            array = np.asarray(value)
        except (TypeError, ValueError) as error:  # ragged nested lists, for instance
            raise ValueError(f"{name}: could not be read as an array ({error})") from None
        numeric = np.issubdtype(array.dtype, np.number) and not np.iscomplexobj(array)
        if not (numeric or ((self.booleans or self.binary) and array.dtype == bool)):
            raise TypeError(f"{name}: expected an array of {what}, got an array of dtype {array.dtype}")
        shape, array = array.shape, self.adapt(array)
        if array.size == 0:
            raise ValueError(f"{name}: expected at least one value, got shape {array.shape}")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name}: expected finite values, got NaN or infinity")
        if self.binary and not np.all((array == 0) | (array == 1)):
            raise ValueError(f"{name}: expected labels in {{0, 1}}, got values such as {_not_binary(array)!r}")
        if self.axes is not None:
            self._match_shape(name, array.shape, shape, call)
        return array

    def _match_shape(self, name: str, shape: tuple[int, ...], given: tuple[int, ...], call: Call) -> None:
        starred = [axis for axis in self.axes if axis.startswith("*")]
        if starred:  # "*s": the whole shape, the same for every argument that names it
            letter = starred[0]
            if letter in call.letters and call.letters[letter][0] != shape:
                expected, source = call.letters[letter]
                raise ValueError(f"{source}, {name}: expected {name} of the shape of {source}, {expected}, "
                                 f"got shape {given}")
            call.letters.setdefault(letter, (shape, name))
            return
        if len(shape) != len(self.axes):
            raise ValueError(f"{name}: expected a {len(self.axes)}-dimensional array of shape {self.describe()}, "
                             f"got shape {given}")
        for axis, size in zip(self.axes, shape, strict=True):
            if axis.isdigit() and size != int(axis):
                raise ValueError(f"{name}: expected shape {self.describe()}, got shape {given}")
            if axis.isdigit():
                continue
            if axis not in call.letters:
                call.letters[axis] = (size, name)
            elif call.letters[axis][0] != size:
                expected, source = call.letters[axis]
                raise ValueError(f"{source}, {name}: expected {name} of shape {self.describe()} with {axis} = "
                                 f"{expected} as in {source}, got shape {given}")


def _not_binary(array: np.ndarray) -> float:
    return float(array[(array != 0) & (array != 1)].flat[0])


@dataclass(frozen=True)
class NumberKind(Kind):
    minimum: float | None = None
    strict: bool = False  # minimum excluded
    why: str = ""  # why the minimum is what it is, for the message

    def convert(self, name: str, value: object, call: Call) -> float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name}: expected a real number, got {_type_name(value)}")
        number = float(value)
        low = self.minimum
        if not np.isfinite(number) or (low is not None and (number < low or (self.strict and number == low))):
            kind = "" if low is None else " positive" if self.strict else " non-negative" if low == 0 else ""
            bound = f" >= {low:g}" if low and not self.strict else ""
            why = f" ({self.why})" if self.why else ""
            raise ValueError(f"{name}: expected a finite{kind} number{bound}{why}, got {value!r}")
        return number


@dataclass(frozen=True)
class IntegerKind(Kind):
    minimum: int = 1
    maximum: int | None = None  # a cap on what a call can compute in reasonable time and memory
    why: str = "the cost grows exponentially"  # why the cap is what it is, for the message

    def convert(self, name: str, value: object, call: Call) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name}: expected an integer, got {_type_name(value)}")
        if value < self.minimum:
            expected = "a positive integer" if self.minimum == 1 else f"an integer >= {self.minimum}"
            raise ValueError(f"{name}: expected {expected}, got {value}")
        if self.maximum is not None and value > self.maximum:
            why = f" ({self.why})" if self.why else ""
            raise ValueError(f"{name}: expected an integer <= {self.maximum:,}{why}, got {value:,}")
        return int(value)


@dataclass(frozen=True)
class FunctionKind(Kind):
    elementwise: bool = False  # f(x) acts on an array x entry by entry: np.sin, not math.sin

    def convert(self, name: str, value: object, call: Call) -> object:
        if not callable(value):
            raise TypeError(f"{name}: expected a function, got {_type_name(value)}")
        return _outside(name, value, self.elementwise)


@dataclass(frozen=True)
class MapKind:
    """What a returned map accepts (a return annotation, not an argument's): `Map("x", "p")` for
    x -> A x + c, whose x has as many entries as A has columns in the call that made the map."""

    argument: str
    array: ArrayKind

    def wrap(self, function: Callable, letters: dict[str, tuple[object, str]]) -> Callable:
        argument, array = self.argument, self.array

        def checked_map(value: object) -> object:
            return function(array.convert(argument, value, Call(dict(letters))))

        checked_map.__doc__ = function.__doc__
        return checked_map


@dataclass(frozen=True)
class ChoiceKind(Kind):
    choices: tuple[object, ...]

    def convert(self, name: str, value: object, call: Call) -> object:
        if not isinstance(value, str) or value not in self.choices:
            raise ValueError(f"{name}: expected one of {', '.join(map(repr, self.choices))}, got {value!r}")
        return value


@dataclass(frozen=True)
class InstanceKind(Kind):
    cls: type

    def convert(self, name: str, value: object, call: Call) -> object:
        if not isinstance(value, self.cls):
            raise TypeError(f"{name}: expected a {self.cls.__name__}, got {_type_name(value)}")
        # The first instance fixes the letters (two networks in one call may differ: a student and
        # its teacher); a function that needs them alike says so with a rule.
        for letter, size in getattr(value, "letters", {}).items():
            call.letters.setdefault(letter, (size, name))
        return value


@dataclass(frozen=True)
class OptionalKind(Kind):
    kind: Kind

    def convert(self, name: str, value: object, call: Call) -> object:
        return None if value is None else self.kind.convert(name, value, call)

    def adapt(self, value: object) -> object:
        return None if value is None else self.kind.adapt(value)


@dataclass(frozen=True)
class SequenceKind(Kind):
    entry: Kind
    container: type

    def convert(self, name: str, value: object, call: Call) -> object:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{name}: expected a list or tuple, got {_type_name(value)}")
        if not value:
            raise ValueError(f"{name}: expected at least one entry")
        return self.container(self.entry.convert(f"{name}[{i}]", item, call) for i, item in enumerate(value))

    def adapt(self, value: object) -> object:
        return self.container(self.entry.adapt(item) for item in value)


@dataclass(frozen=True)
class Declared:
    """One parameter's kind and the rules that must hold between it and other arguments."""

    kind: Kind | None
    rules: tuple[Rule, ...] = ()


# The kinds of arrays are called like the types they stand for: X: Array("n p").
def _shaped(shape: object, rules: tuple[Rule, ...], **options: bool) -> object:
    axes = None if shape is Ellipsis else tuple(shape.split())
    return typing.Annotated[np.ndarray, ArrayKind(axes, **options), *rules]


def Array(shape: object, *rules: Rule) -> object:
    """An array of finite reals with the shape its letters say ("n p"; "*s"; ... for any)."""
    return _shaped(shape, rules)


def Labels(shape: object, *rules: Rule) -> object:
    """An array of 0/1 labels (booleans read as 0/1)."""
    return _shaped(shape, rules, binary=True)


def Response(shape: object, *rules: Rule) -> object:
    """A response vector: finite reals, booleans read as 0/1."""
    return _shaped(shape, rules, booleans=True)


def Targets(shape: object, *rules: Rule) -> object:
    """Targets of a network, n x k; for one output (k = 1) a vector of n stands for the column."""
    return _shaped(shape, rules, booleans=True, column=True)


def Map(argument: str, shape: str) -> object:
    """The return annotation of a function that returns a map of one array, `argument`, whose
    shape's letters are fixed by the call that made the map: the map checks its input like any
    public function."""
    return typing.Annotated[Callable, MapKind(argument, ArrayKind(tuple(shape.split())))]


# Counts and sizes (steps, widths, samples) are capped, so that every call returns: a million is
# far beyond anything a page computes, and a training loop of a million steps takes minutes.
COUNT_CAP = 1_000_000
_CAPPED = "a larger count or size would run for hours or exhaust the memory"

Real = typing.Annotated[float, NumberKind()]
Positive = typing.Annotated[float, NumberKind(minimum=0.0, strict=True)]
NonNegative = typing.Annotated[float, NumberKind(minimum=0.0)]
PositiveInt = typing.Annotated[int, IntegerKind(minimum=1, maximum=COUNT_CAP, why=_CAPPED)]
NonNegativeInt = typing.Annotated[int, IntegerKind(minimum=0, maximum=COUNT_CAP, why=_CAPPED)]
Function = typing.Annotated[Callable, FunctionKind()]
# A function of one real variable that numpy can apply to an array entry by entry.
Elementwise = typing.Annotated[Callable, FunctionKind(elementwise=True)]
# A relative tolerance: changes below about 1e-15 are lost to double precision's rounding.
Tolerance = typing.Annotated[float, NumberKind(
    minimum=1e-15, why="a relative change smaller than this is lost to rounding: machine epsilon is 2.2e-16")]
# A finite-difference step: below 1e-10 the quotient is mostly rounding error (about 2.2e-16 / h).
Step = typing.Annotated[float, NumberKind(
    minimum=1e-10, why="with a smaller step the difference quotient is mostly rounding error")]
Seed = typing.Annotated[int, IntegerKind(minimum=0)]  # a seed of numpy's random generator


def at_most(maximum: int) -> object:
    """A positive integer no larger than `maximum` (sizes whose cost grows exponentially)."""
    return typing.Annotated[int, IntegerKind(minimum=1, maximum=maximum)]


def at_least(minimum: float, why: str) -> object:
    """A finite number no smaller than `minimum`, for the reason `why` (a tolerance, a step, a penalty
    below which double precision's rounding decides the result)."""
    return typing.Annotated[float, NumberKind(minimum=minimum, why=why)]


def integer_in(minimum: int, maximum: int | None = None) -> object:
    """An integer in [minimum, maximum] (an index, a count that needs at least two)."""
    return typing.Annotated[int, IntegerKind(minimum=minimum, maximum=maximum, why="")]


def declared(annotation: object) -> Declared:
    """The kind and the rules an annotation declares (kind None: nothing to check)."""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        inner = declared(base)
        kinds = [m for m in metadata if isinstance(m, Kind)]
        rules = tuple(m for m in metadata if not isinstance(m, Kind) and callable(m))
        return Declared(kinds[-1] if kinds else inner.kind, inner.rules + rules)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return Declared(ChoiceKind(args))
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (other,) = [a for a in args if a is not type(None)]
        inner = declared(other)
        return Declared(inner.kind and OptionalKind(inner.kind), inner.rules)
    if origin in (tuple, list) and args:
        entry = declared(args[0])
        if entry.kind is not None and (origin is list or args[1:] == (Ellipsis,)):
            return Declared(SequenceKind(entry.kind, origin))
    if isinstance(annotation, type) and (annotation.__module__.startswith("snippets")
                                         or annotation is np.random.Generator):
        return Declared(InstanceKind(annotation))
    return Declared(None)


def _outside(name: str, function: Callable, elementwise: bool = False) -> Callable:
    """A function given by the caller runs outside the boundary: what it calls is checked again, and
    what it returns must be finite real numbers, since the package computes with them unchecked.
    An elementwise function must return an array of its argument's shape."""
    @functools.wraps(function)
    def call(*args, **kwargs):
        token = _inside.set(False)
        try:
            result = function(*args, **kwargs)
        except (TypeError, ValueError, IndexError) as error:
            if not elementwise:
                raise
            raise TypeError(f"{name}: {name}(x) for an array x of shape {np.shape(args[0])} raised "
                            f"{type(error).__name__}: {error}; {name} must act on a numpy array entry by entry "
                            "(np.sin, not math.sin; np.vectorize makes any function do so)") from None
        finally:
            _inside.reset(token)
        values = np.asarray(result)
        if not np.issubdtype(values.dtype, np.number) or np.iscomplexobj(values):
            raise TypeError(f"{name}: expected a function returning real numbers, got {_type_name(result)}")
        if elementwise and values.shape != np.shape(args[0]):
            raise ValueError(f"{name}: expected {name}(x) of the shape of x, {np.shape(args[0])}, got shape "
                             f"{values.shape}; {name} must act on a numpy array entry by entry")
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name}: returned NaN or infinity")
        return result
    return call


def _not_finite(value: object) -> bool:
    """Whether a result holds NaN or infinity: in a number, an array, or what holds them."""
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc" and not np.all(np.isfinite(value))
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return not np.isfinite(value)
    if isinstance(value, dict):
        return any(_not_finite(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_not_finite(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(_not_finite(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


def _most_extreme(values: dict[str, object]) -> tuple[list[str], float]:
    """The numeric arguments farthest from 1 in order of magnitude, and that magnitude: what made a
    result overflow (huge values) or lose itself to rounding (tiny steps)."""
    orders = {}
    for name, value in values.items():
        # Counts, sizes and seeds make nothing overflow by their magnitude; reals and arrays may.
        if isinstance(value, (bool, numbers.Integral)) or not isinstance(value, (numbers.Real, np.ndarray)):
            continue
        entries = np.abs(np.asarray(value, dtype=float))
        entries = entries[(entries > 0) & np.isfinite(entries)]
        if entries.size:
            extreme = max(float(entries.max()), float(entries.min()), key=lambda v: abs(np.log10(v)))
            orders[name] = extreme
    if not orders:
        return [], 1.0
    worst = max(abs(np.log10(v)) for v in orders.values())
    names = [name for name, v in orders.items() if abs(np.log10(v)) >= worst - 1]
    return names, orders[names[0]]


def _overflows(values: dict[str, object]) -> bool:
    """Whether the arguments hold values whose square overflows a double (|v| above 1e154)."""
    names, magnitude = _most_extreme(values)
    return bool(names) and magnitude > 1e154


def not_finite_error(function: Callable, values: dict[str, object]) -> ValueError:
    """The error for a result with NaN or infinity from finite arguments: the arguments of the most
    extreme magnitude are named as the cause."""
    names, magnitude = _most_extreme(values)
    if not names or abs(np.log10(magnitude)) < 2:  # nothing large or small enough to blame
        return ValueError(f"{function.__name__}: the result is NaN or infinite for these arguments")
    size = "as large as" if magnitude > 1 else "as small as"
    return ValueError(f"{', '.join(names)}: values {size} {magnitude:.3g} make {function.__name__} overflow "
                      "double precision (its result holds NaN or infinity); rescale them")


def declarations_of(function: Callable) -> dict[str, Declared]:
    """{parameter: Declared} for the parameters of `function` whose annotations declare a kind or a rule."""
    found = {}
    for name, parameter in inspect.signature(function).parameters.items():
        annotation = parameter.annotation
        if annotation is inspect.Parameter.empty:
            continue
        if isinstance(annotation, str):  # from __future__ import annotations: read in the module
            # The module's namespace, not function.__globals__: a wrapper made elsewhere (the mutation
            # tester's) has the globals of its own module.
            module = sys.modules.get(function.__module__)
            namespace = vars(module) if module is not None else function.__globals__
            annotation = eval(annotation, namespace)  # noqa: S307 (the module's own annotations)
        declaration = declared(annotation)
        if declaration.kind is not None or declaration.rules:
            found[name] = declaration
    return found


def checked(function: Callable, declarations: dict[str, Declared] | None = None) -> Callable:
    """`function` with its declared arguments checked and converted on a call from outside.

    The annotations are read at the first call, when the module has defined every name they use,
    unless the caller has read them already (`declarations`)."""
    signature = inspect.signature(function)

    @functools.cache
    def plan() -> tuple[list[tuple[str, Kind]], list[tuple[str, Rule, list[str]]], tuple, bool]:
        found = declarations_of(function) if declarations is None else declarations
        # Only a function whose every argument is declared runs inside the boundary: an undeclared
        # argument reaches the calls it makes unchecked, so those calls check it.
        whole = set(found) == set(signature.parameters)
        # Instances first (a network fixes d, k and P), then the rest in the signature's order.
        order = sorted(found, key=lambda name: not isinstance(found[name].kind, InstanceKind))
        kinds = [(name, found[name].kind) for name in order if found[name].kind is not None]
        rules = [(name, rule, list(inspect.signature(rule).parameters)[1:])
                 for name in order for rule in found[name].rules]
        # A rule that reads another ruled argument runs after that argument's rules: the targets'
        # rule reads the loss, so a wrong loss is reported as the loss.
        ruled = {name for name, _, _ in rules}
        rules.sort(key=lambda entry: any(other in ruled for other in entry[2]))
        # What a call from inside puts in form, by position and by name (no signature.bind: a
        # training step calls these thousands of times).
        adapting = {name: kind for name, kind in kinds if isinstance(kind, (ArrayKind, SequenceKind, OptionalKind))}
        positions = [(i, adapting[name]) for i, (name, parameter) in enumerate(signature.parameters.items())
                     if name in adapting and parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
        return kinds, rules, (positions, adapting), whole, returned_map(function)

    @functools.wraps(function)
    def call(*args, **kwargs):
        kinds, rules, (positions, adapting), whole, returns = plan()
        if _inside.get():  # called by the package: the same forms, without the checks
            if positions and args:
                args = list(args)
                for i, kind in positions:
                    if i < len(args):
                        args[i] = kind.adapt(args[i])
            for name in adapting.keys() & kwargs.keys():
                kwargs[name] = adapting[name].adapt(kwargs[name])
            return function(*args, **kwargs)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as error:
            raise TypeError(f"{function.__name__}: {error}") from None
        bound.apply_defaults()
        values, state = bound.arguments, Call()
        for name, kind in kinds:
            values[name] = kind.convert(name, values[name], state)
        for name, rule, others in rules:
            complaint = rule(values[name], **{other: values[other] for other in others})
            if complaint:
                # A rule about two arguments alike may name both itself ("weights, biases: ...").
                head = complaint.split(": ", 1)[0].split(", ")
                named = len(head) > 1 and name in head and set(head) <= set(values)
                raise ValueError(complaint if named else f"{name}: {complaint}")
        token = _inside.set(whole)
        try:
            result = function(*bound.args, **bound.kwargs)
        except np.linalg.LinAlgError:
            # A matrix with infinite entries from finite arguments: they overflowed on the way.
            if _overflows(values):
                raise not_finite_error(function, values) from None
            raise
        finally:
            _inside.reset(token)
        # Finite arguments, a result with NaN or infinity: say which arguments, never return it.
        if _not_finite(result):
            raise not_finite_error(function, values)
        return result if returns is None else returns.wrap(result, state.letters)

    call.checked = True
    return call


def returned_map(function: Callable) -> MapKind | None:
    """The MapKind of `function`'s return annotation (Map("x", "p")), or None."""
    annotation = inspect.signature(function).return_annotation
    if isinstance(annotation, str):
        # Read only what may be a Map: other return annotations may name what the module imports
        # for type checkers alone (TYPE_CHECKING), which eval cannot find.
        if "Map(" not in annotation:
            return None
        annotation = eval(annotation, vars(sys.modules[function.__module__]))  # noqa: S307 (the module's own)
    if typing.get_origin(annotation) is typing.Annotated:
        return next((m for m in typing.get_args(annotation)[1:] if isinstance(m, MapKind)), None)
    return None


def enforce_annotations(namespace: dict) -> None:
    """Wrap with `checked` every public function defined in this module whose signature declares
    kinds (the last line of each chapter's module; a cached function is checked inside its cache)."""
    for name, value in list(namespace.items()):
        if (name.startswith("_") or not inspect.isfunction(value) or value.__module__ != namespace["__name__"]
                or hasattr(value, "checked") or hasattr(value, "cache_clear")):
            continue
        declarations = declarations_of(value)
        if declarations:
            namespace[name] = checked(value, declarations)  # read once, here
