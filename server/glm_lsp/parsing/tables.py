"""Node types per grammar: which nodes hold statements, which are functions and classes.

Data only. A grammar missing from a table falls back to `GENERIC_*` (node names most grammars
share), so a grammar added to `grammar_for` works roughly before it is tuned here.
"""

from __future__ import annotations

GENERIC_BLOCKS = frozenset(
    {"block", "statement_block", "compound_statement", "body_statement", "statement_list"}
)
"""Nodes whose named children are statements (the root node always is one)."""

BLOCKS: dict[str, frozenset[str]] = {
    "python": frozenset({"block"}),
    "javascript": frozenset({"statement_block", "class_body", "switch_body"}),
    "typescript": frozenset({"statement_block", "class_body", "switch_body", "interface_body"}),
    "tsx": frozenset({"statement_block", "class_body", "switch_body", "interface_body"}),
    "go": frozenset({"block", "statement_list", "field_declaration_list"}),
    "rust": frozenset({"block", "declaration_list", "field_declaration_list"}),
    "java": frozenset({"block", "class_body", "interface_body", "constructor_body", "enum_body"}),
    "c": frozenset({"compound_statement", "field_declaration_list"}),
    "cpp": frozenset({"compound_statement", "field_declaration_list", "declaration_list"}),
    "lua": frozenset({"block"}),
    "ruby": frozenset({"body_statement", "then", "else", "do", "begin_block"}),
    "bash": frozenset({"compound_statement", "do_group"}),
}

GENERIC_SCOPES = frozenset(
    {
        "function_definition",
        "function_declaration",
        "method_declaration",
        "method_definition",
        "class_declaration",
        "class_definition",
    }
)
"""Functions, methods and classes: what a code action without a selection works on."""

SCOPES: dict[str, frozenset[str]] = {
    "python": frozenset({"function_definition", "class_definition"}),
    "javascript": frozenset(
        {
            "function_declaration",
            "generator_function_declaration",
            "function_expression",
            "arrow_function",
            "method_definition",
            "class_declaration",
            "class",
        }
    ),
    "go": frozenset(
        {"function_declaration", "method_declaration", "func_literal", "type_declaration"}
    ),
    "rust": frozenset(
        {"function_item", "impl_item", "trait_item", "struct_item", "enum_item", "mod_item"}
    ),
    "java": frozenset(
        {
            "method_declaration",
            "constructor_declaration",
            "class_declaration",
            "interface_declaration",
            "enum_declaration",
            "record_declaration",
        }
    ),
    "c": frozenset({"function_definition", "struct_specifier"}),
    "cpp": frozenset(
        {
            "function_definition",
            "class_specifier",
            "struct_specifier",
            "namespace_definition",
            "lambda_expression",
        }
    ),
    "lua": frozenset({"function_declaration", "function_definition"}),
    "ruby": frozenset({"method", "singleton_method", "class", "module", "singleton_class"}),
    "bash": frozenset({"function_definition"}),
}
SCOPES["typescript"] = SCOPES["javascript"] | {
    "abstract_class_declaration",
    "interface_declaration",
    "enum_declaration",
    "internal_module",
    "function_signature",
}
SCOPES["tsx"] = SCOPES["typescript"]

SCOPE_WRAPPERS = frozenset(
    {
        "decorated_definition",
        "export_statement",
        "variable_declarator",
        "lexical_declaration",
        "variable_declaration",
        "public_field_definition",
        "field_definition",
        "short_var_declaration",
        "assignment_statement",
        "local_variable_declaration",
        "template_declaration",
    }
)
"""Nodes that only name or decorate the scope below them (`const f = () => {...}`,
`@decorator def f`, `export class`): the scope's range grows to take them in."""

STRINGS = frozenset(
    {
        "string",
        "string_literal",
        "raw_string_literal",
        "interpreted_string_literal",
        "template_string",
        "char_literal",
        "character_literal",
        "concatenated_string",
        "raw_string",
        "ansi_c_string",
        "heredoc_body",
        "heredoc_content",
        "text_block",
        "string_content",
        "string_fragment",
        "translated_string",
    }
)

INTERPOLATIONS = frozenset(
    {"template_substitution", "interpolation", "expansion", "simple_expansion", "format_expression"}
)
"""Code inside a string (`${...}`, `#{...}`, f-string braces): not a string position."""

BLOCK_CLOSERS = frozenset(
    {
        *("}", "end", "fi", "done", "esac", "until", "elif_clause", "else_clause", "elsif"),
        *("else", "else_statement", "elseif_statement"),
    }
)

HEADER_PARTS = frozenset({"block_parameters", "comment", "line_comment", "block_comment", "ERROR"})
"""Named nodes that may follow a block opener without being its body."""

KEYWORD_OPENERS = frozenset({"do", "then", "else", "begin", "repeat"})
"""Keyword tokens after which a block body goes on the next line (Lua, Ruby, Bash, C's `else`)."""

HEADER_ENDS: dict[str, frozenset[str]] = {
    "ruby": frozenset({"method", "singleton_method", "class", "module", "do_block", "block"}),
    "lua": frozenset({"function_declaration", "function_definition"}),
}
"""Nodes whose header line ends without an opener token (`def name(args)` in Ruby,
`function f(a)` in Lua): the end of the header is where their body starts."""

COMPLETERS = frozenset({";", ")", "]", "}"})
"""Tokens that may end a statement with nothing more to say on its line."""


def blocks(grammar: str) -> frozenset[str]:
    """Statement containers of `grammar`."""
    return BLOCKS.get(grammar, GENERIC_BLOCKS)


def scopes(grammar: str) -> frozenset[str]:
    """Function/method/class nodes of `grammar`."""
    return SCOPES.get(grammar, GENERIC_SCOPES)


def is_comment(node_type: str) -> bool:
    """True for comment nodes of every grammar (`comment`, `line_comment`, `block_comment`...)."""
    return "comment" in node_type
