"""Pseudo-Boolean terms built with Z3's C API directly.

z3py's ``PbEq``, ``If`` and ``Sum`` coerce and check every argument in Python, which cost
more than solving on a damaged table (seed 003): these build the same terms in one C
call each. The results are ordinary z3py expressions (they hold their own references).
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence

import z3


def fits_pb(pairs: Sequence[tuple[z3.BoolRef, int]], k: int) -> bool:
    """Do the coefficients and ``k`` fit the C ints of Z3's pseudo-Boolean constraints?"""
    return all(-(2**31) < c < 2**31 for _, c in pairs) and -(2**31) < k < 2**31


def pb_eq(pairs: Sequence[tuple[z3.BoolRef, int]], k: int, ctx: z3.Context) -> z3.BoolRef:
    """``Σ c·[flag] == k`` over the (flag, c) pairs (see :func:`fits_pb`)."""
    n = len(pairs)
    if not fits_pb(pairs, k):
        raise ValueError("pseudo-Boolean coefficients must fit a C int")
    args = (z3.Ast * n)(*(f.as_ast() for f, _ in pairs))
    coeffs = (ctypes.c_int * n)(*(c for _, c in pairs))
    return z3.BoolRef(z3.Z3_mk_pbeq(ctx.ref(), n, args, coeffs, k), ctx)


def weighted_sum(pairs: Sequence[tuple[z3.BoolRef, int]], ctx: z3.Context) -> z3.ArithRef:
    """The integer ``Σ c·[flag]`` over the (flag, c) pairs (c of any size)."""
    sort = z3.IntSort(ctx).ast
    zero = z3.IntVal(0, ctx)
    terms = [zero]
    for f, c in pairs:
        value = z3.ArithRef(z3.Z3_mk_numeral(ctx.ref(), str(c), sort), ctx)
        ite = z3.Z3_mk_ite(ctx.ref(), f.as_ast(), value.as_ast(), zero.as_ast())
        terms.append(z3.ArithRef(ite, ctx))
    args = (z3.Ast * len(terms))(*(t.as_ast() for t in terms))
    return z3.ArithRef(z3.Z3_mk_add(ctx.ref(), len(terms), args), ctx)
