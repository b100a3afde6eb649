#!/usr/bin/env python3
"""Translates the subset of MQL5 that examples/mql5 is written in into C++
that compiles against tests/mql5/shim (the MQL5 functions it calls, with
their documented behaviour, and a simulated broker behind CTrade).

MQL5 is close to C++; the differences this subset has are rewritten token
by token, one output line per input line (a #line directive maps compiler
errors back to the .mqh/.mq5):
  string            -> mql_string (UTF-16, no implicit conversion from numbers)
  "text"            -> mql_string(u"text") (so "a" + 1 cannot be pointer arithmetic)
  T name[] / T &name[] -> mql_array<T> name / mql_array<T> &name (bounds-checked)
  input / sinput    -> dropped (the test sets the globals)
  #property         -> dropped; #include <Trade\\Trade.mqh> -> the shim's CTrade;
  #include "X.mqh"  -> the translation of X.mqh

Anything else is refused with file:line: an identifier that is neither a
keyword of the subset, an MQL5 function or constant the shim implements, a
CTrade method, nor declared in the sources themselves; a fixed-size array;
a pointer; a struct, class or array passed by value (MQL5 passes them by
reference only); a preprocessor directive other than the three above; C++
punctuation MQL5 lacks (::, ->). So a test that passes proves the source
stays inside what was verified, instead of a construct being skipped.

Usage: mql5_to_cpp.py OUT_DIR FILE...   (writes OUT_DIR/<name>.hpp)
"""
import os
import re
import sys

KEYWORDS = {
    "if", "else", "for", "while", "do", "return", "break", "continue", "switch", "case", "default", "class", "struct",
    "enum", "public", "private", "protected", "const", "static", "void", "true", "false", "input", "sinput",
}
TYPES = {"bool", "char", "uchar", "short", "ushort", "int", "uint", "long", "ulong", "double", "float", "string",
         "datetime"}
# MQL5 functions and constants the shim implements (tests/mql5/shim).
BUILTINS = {
    "ArrayFree", "ArrayResize", "ArraySize", "CharArrayToString", "StringToCharArray", "StringLen", "StringSubstr",
    "StringFind", "StringGetCharacter", "ShortToString", "StringToLower", "StringTrimLeft", "StringTrimRight",
    "StringSplit", "StringToInteger", "StringToDouble", "IntegerToString", "DoubleToString", "CryptEncode",
    "WebRequest", "GetLastError", "ResetLastError", "GetTickCount", "GetTickCount64", "GetMicrosecondCount",
    "TimeGMT", "TimeLocal", "MathRand", "MathSrand", "MathAbs", "FileOpen", "FileClose", "FileIsEnding",
    "FileReadString", "FileWriteString", "FileFlush", "FileSeek", "Print", "EventSetTimer", "EventKillTimer",
    "AccountInfoInteger", "SymbolSelect", "SymbolInfoInteger", "SymbolInfoDouble", "PositionsTotal",
    "PositionGetTicket", "PositionSelectByTicket", "PositionGetDouble", "PositionGetInteger", "PositionGetString",
    "HistorySelectByPosition", "HistoryDealSelect", "HistoryDealsTotal", "HistoryDealGetTicket",
    "HistoryDealGetInteger", "HistoryDealGetDouble", "HistoryDealGetString", "CTrade",
    # constants
    "WHOLE_ARRAY", "CP_UTF8", "CRYPT_HASH_SHA256", "INVALID_HANDLE", "FILE_READ", "FILE_WRITE", "FILE_TXT",
    "FILE_UNICODE", "FILE_SHARE_READ", "SEEK_END", "INIT_SUCCEEDED", "INIT_FAILED", "INIT_PARAMETERS_INCORRECT",
    "ACCOUNT_MARGIN_MODE", "ACCOUNT_MARGIN_MODE_RETAIL_HEDGING", "SYMBOL_DIGITS", "SYMBOL_BID", "SYMBOL_ASK",
    "SYMBOL_POINT", "POSITION_SYMBOL", "POSITION_VOLUME", "POSITION_SL", "POSITION_TP", "POSITION_MAGIC",
    "POSITION_COMMENT", "POSITION_PRICE_OPEN", "DEAL_ENTRY", "DEAL_ENTRY_OUT", "DEAL_PRICE", "DEAL_SYMBOL",
    "TRADE_RETCODE_DONE", "TRADE_RETCODE_DONE_PARTIAL",
}
CTRADE_MEMBERS = {"SetExpertMagicNumber", "SetDeviationInPoints", "Buy", "Sell", "PositionClose",
                  "PositionClosePartial", "PositionModify", "ResultRetcode", "ResultRetcodeDescription",
                  "ResultOrder", "ResultDeal", "ResultPrice", "ResultVolume"}
PROPERTIES = {"copyright", "link", "version", "description", "strict"}
PUNCTUATION = sorted(":: -> <<= >>= == != <= >= && || ++ -- += -= *= /= %= &= |= ^= << >> ; , . ( ) [ ] { } < > = + - * / "
                     "% & | ^ ! ~ ? :".split(), key=len, reverse=True)
STRING_ESCAPES = set("nrt\\\"'0")

TOKEN = re.compile(r"""
    (?P<space>[ \t\r]+) | (?P<newline>\n) | (?P<comment>//[^\n]*|/\*.*?\*/) |
    (?P<string>"(?:\\.|[^"\\\n])*") | (?P<char>'(?:\\.|[^'\\\n])') |
    (?P<number>0[xX][0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?) |
    (?P<ident>[A-Za-z_][A-Za-z0-9_]*) |
    (?P<punct>""" + "|".join(re.escape(p) for p in PUNCTUATION) + r""")""", re.X | re.S)


class Refused(Exception):
    pass


def tokenize(path, text):
    tokens, pos, line = [], 0, 1
    while pos < len(text):
        if text[pos] == "#" and (pos == 0 or text[:pos].rstrip(" \t").endswith("\n") or not text[:pos].strip()):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            tokens.append(("directive", text[pos:end], line))
            pos = end
            continue
        match = TOKEN.match(text, pos)
        if not match:
            raise Refused(f"{path}:{line}: unknown character {text[pos]!r}")
        kind, value = match.lastgroup, match.group()
        if kind == "number" and re.match(r"[A-Za-z_]", text[match.end():match.end() + 1]):
            raise Refused(f"{path}:{line}: number with a suffix: {value}{text[match.end()]}")
        if kind == "string":
            for escape in re.findall(r"\\(.)", value):
                if escape not in STRING_ESCAPES:
                    raise Refused(f"{path}:{line}: escape \\{escape} is not in the subset")
        tokens.append((kind, value, line))
        line += value.count("\n")
        pos = match.end()
    return tokens


def code(tokens):
    """Indexes of the tokens that are code (not space, newline, comment)."""
    return [i for i, t in enumerate(tokens) if t[0] not in ("space", "newline", "comment")]


def declarations(files):
    """Type names (class, struct, enum) and every name declared after a type."""
    types, names = set(TYPES) | {"CTrade", "void"}, set()
    for tokens in files:
        idx = code(tokens)
        for n, i in enumerate(idx):
            kind, value, _ = tokens[i]
            if value in ("class", "struct", "enum") and n + 1 < len(idx):
                types.add(tokens[idx[n + 1]][1])
    for tokens in files:
        idx = code(tokens)
        in_enum = False
        for n, i in enumerate(idx):
            value = tokens[i][1]
            if value == "enum":
                in_enum = True
            elif in_enum and value == "}":
                in_enum = False
            elif in_enum and tokens[i][0] == "ident" and n + 1 < len(idx) and tokens[idx[n + 1]][1] in (",", "}", "="):
                names.add(value)
            if value in types and n + 1 < len(idx):
                after = n + 1
                if tokens[idx[after]][1] == "&":
                    after += 1
                if after < len(idx) and tokens[idx[after]][0] == "ident":
                    names.add(tokens[idx[after]][1])
    return types, names


def translate(path, tokens, types, names):
    idx = code(tokens)
    out = {}  # token index -> replacement text

    def at(n):
        return tokens[idx[n]] if 0 <= n < len(idx) else ("", "", 0)

    for n, i in enumerate(idx):
        kind, value, line = tokens[i]
        where = f"{path}:{line}"
        if kind == "directive":
            out[i] = directive(where, value)
            continue
        if kind == "string":
            out[i] = f"mql_string(u{value})"
            if at(n + 1)[0] == "string":
                raise Refused(f"{where}: adjacent string literals are not in the subset")
            continue
        if kind == "punct" and value in ("::", "->"):
            raise Refused(f"{where}: {value} is not MQL5")
        if kind != "ident":
            continue
        previous = at(n - 1)[1]
        if previous == ".":
            if value not in names and value not in CTRADE_MEMBERS:
                raise Refused(f"{where}: unknown member {value}")
            continue
        if value not in KEYWORDS and value not in types and value not in names and value not in BUILTINS:
            raise Refused(f"{where}: unknown identifier {value} (not in the verified MQL5 subset)")
        if value in ("input", "sinput"):
            if previous not in ("", ";", "}") and not at(n - 1)[0] == "directive":
                raise Refused(f"{where}: {value} inside a declaration")
            out[i] = ""
            continue
        if value not in types:
            continue
        # A declaration: TYPE [&] NAME [[]]
        after = n + 1
        reference = at(after)[1] == "&"
        if reference:
            after += 1
        if at(after)[1] == "*":
            raise Refused(f"{where}: pointers are not in the subset")
        if at(after)[0] != "ident":
            if value == "string":
                out[i] = "mql_string"
            continue
        name = at(after)[1]
        parameter = previous in ("(", ",") or (previous == "const" and at(n - 2)[1] in ("(", ","))
        # `(TYPE)expr` is a cast, not a parameter
        if at(n + 1)[1] == ")":
            parameter = False
        if at(after + 1)[1] == "[":
            if at(after + 2)[1] != "]":
                raise Refused(f"{where}: fixed-size array {name}[...] is not in the subset")
            if parameter and not reference:
                raise Refused(f"{where}: array {name} passed by value (MQL5 passes arrays by reference)")
            element = "mql_string" if value == "string" else value
            out[i] = f"mql_array<{element}>"
            out[idx[after + 1]] = ""
            out[idx[after + 2]] = ""
            continue
        if parameter and not reference and value not in TYPES and value in types and value not in ENUMS:
            raise Refused(f"{where}: {value} {name} passed by value (MQL5 passes objects by reference)")
        if value == "string":
            out[i] = "mql_string"
    text = "".join(out.get(i, t[1]) for i, t in enumerate(tokens))
    return f'#line 1 "{os.path.abspath(path)}"\n' + text


ENUMS = set()  # enum names: passed by value like numbers


def directive(where, text):
    parts = text.split(None, 2)
    if parts[0] == "#property":
        if len(parts) < 2 or parts[1] not in PROPERTIES:
            raise Refused(f"{where}: unknown #property {text}")
        return ""
    if parts[0] == "#include":
        target = parts[1] if len(parts) > 1 else ""
        if target == "<Trade\\Trade.mqh>":
            return '#include "mql5_trade.hpp"'
        match = re.fullmatch(r'"([A-Za-z0-9_]+\.mqh)"', target)
        if match:
            return f'#include "{match.group(1)}.hpp"'
        raise Refused(f"{where}: #include {target} is not in the subset")
    raise Refused(f"{where}: directive {parts[0]} is not in the subset")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 64
    out_dir, paths = argv[1], argv[2:]
    try:
        files = []
        for path in paths:
            with open(path, encoding="utf-8") as f:
                files.append(tokenize(path, f.read()))
        for tokens in files:
            idx = code(tokens)
            for n, i in enumerate(idx[:-1]):
                if tokens[i][1] == "enum":
                    ENUMS.add(tokens[idx[n + 1]][1])
        types, names = declarations(files)
        os.makedirs(out_dir, exist_ok=True)
        for path, tokens in zip(paths, files):
            text = translate(path, tokens, types, names)
            target = os.path.join(out_dir, os.path.basename(path) + ".hpp")
            with open(target + ".tmp", "w", encoding="utf-8") as f:
                f.write("#pragma once\n" + '#include "mql5_shim.hpp"\n' + text)
            os.replace(target + ".tmp", target)
    except Refused as refusal:
        print(f"mql5_to_cpp: {refusal}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
