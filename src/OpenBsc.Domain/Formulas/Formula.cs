using System.Globalization;

namespace OpenBsc.Domain.Formulas;

/// <summary>A syntax error in a formula: the 1-based column and what was expected there.</summary>
public sealed record FormulaError(int Column, string Message)
{
    public override string ToString() => $"column {Column}: {Message}";
}

/// <summary>
/// An arithmetic expression in NCalc syntax (the subset documented in docs/formulas.md): numbers,
/// parameters (<c>[promoters-pct]</c> or bare names such as <c>v</c>), <c>+ - * / % **</c>, comparisons,
/// <c>and</c>/<c>or</c>/<c>not</c>, <c>c ? a : b</c> and functions (abs, min, max, pow, sqrt, round, if, …).
/// </summary>
/// <remarks>
/// Evaluation never throws and never returns NaN or infinity: a missing input, a division by zero or a
/// non-finite result gives a missing result (null). Parsed once; evaluated against an array of inputs in
/// the order of <see cref="Parameters"/>.
/// </remarks>
public sealed class Formula
{
    private readonly Node _root;

    private Formula(string text, Node root, IReadOnlyList<string> parameters)
    {
        Text = text;
        _root = root;
        Parameters = parameters;
    }

    public string Text { get; }

    /// <summary>Distinct parameter names in order of first appearance (brackets removed).</summary>
    public IReadOnlyList<string> Parameters { get; }

    public static Formula Parse(string text) =>
        TryParse(text, out var formula, out var error) ? formula : throw new FormatException($"Formula '{text}': {error}");

    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Formula? formula, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out FormulaError? error)
    {
        formula = null;
        var parser = new Parser(text);
        try
        {
            var root = parser.ParseAll();
            formula = new Formula(text, root, parser.Parameters);
            error = null;
            return true;
        }
        catch (ParseException e)
        {
            error = new FormulaError(e.Column, e.Message);
            return false;
        }
    }

    /// <summary>Evaluates with <paramref name="inputs"/> in the order of <see cref="Parameters"/>; null inputs are missing.</summary>
    public double? Evaluate(ReadOnlySpan<double?> inputs)
    {
        Span<double> values = inputs.Length <= 16 ? stackalloc double[inputs.Length] : new double[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            values[i] = inputs[i] ?? double.NaN;
        }

        return Finite(_root.Eval(values));
    }

    /// <summary>Evaluates, looking each parameter up by name; an unknown name is missing.</summary>
    public double? Evaluate(Func<string, double?> resolve)
    {
        var inputs = new double?[Parameters.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = resolve(Parameters[i]);
        }

        return Evaluate(inputs);
    }

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;

    public override string ToString() => Text;

    private abstract class Node
    {
        public abstract double Eval(ReadOnlySpan<double> v);
    }

    private sealed class Constant(double value) : Node
    {
        public override double Eval(ReadOnlySpan<double> v) => value;
    }

    private sealed class Parameter(int index) : Node
    {
        public override double Eval(ReadOnlySpan<double> v) => v[index];
    }

    private sealed class Unary(char op, Node operand) : Node
    {
        public override double Eval(ReadOnlySpan<double> v)
        {
            double x = operand.Eval(v);
            if (double.IsNaN(x))
            {
                return double.NaN;
            }

            return op == '-' ? -x : (x == 0 ? 1 : 0);
        }
    }

    private sealed class Binary(string op, Node left, Node right) : Node
    {
        public override double Eval(ReadOnlySpan<double> v)
        {
            double a = left.Eval(v);
            // Short-circuit logic keeps 'false and <missing>' false, as NCalc does.
            if (op == "and" && a == 0)
            {
                return 0;
            }

            if (op == "or" && !double.IsNaN(a) && a != 0)
            {
                return 1;
            }

            double b = right.Eval(v);
            if (double.IsNaN(a) || double.IsNaN(b))
            {
                return double.NaN;
            }

            return op switch
            {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                "/" => b == 0 ? double.NaN : a / b,
                "%" => b == 0 ? double.NaN : a % b,
                "**" => Math.Pow(a, b),
                "==" => a == b ? 1 : 0,
                "!=" => a != b ? 1 : 0,
                "<" => a < b ? 1 : 0,
                "<=" => a <= b ? 1 : 0,
                ">" => a > b ? 1 : 0,
                ">=" => a >= b ? 1 : 0,
                "and" => b != 0 ? 1 : 0,
                _ => b != 0 ? 1 : 0, // "or" with a false left side
            };
        }
    }

    private sealed class Conditional(Node condition, Node whenTrue, Node whenFalse) : Node
    {
        public override double Eval(ReadOnlySpan<double> v)
        {
            double c = condition.Eval(v);
            return double.IsNaN(c) ? double.NaN : c != 0 ? whenTrue.Eval(v) : whenFalse.Eval(v);
        }
    }

    private sealed class Call(string name, Node[] args) : Node
    {
        public override double Eval(ReadOnlySpan<double> v)
        {
            Span<double> a = stackalloc double[args.Length];
            for (int i = 0; i < args.Length; i++)
            {
                a[i] = args[i].Eval(v);
                if (double.IsNaN(a[i]))
                {
                    return double.NaN;
                }
            }

            return name switch
            {
                "abs" => Math.Abs(a[0]),
                "acos" => Math.Acos(a[0]),
                "asin" => Math.Asin(a[0]),
                "atan" => Math.Atan(a[0]),
                "ceiling" => Math.Ceiling(a[0]),
                "cos" => Math.Cos(a[0]),
                "exp" => Math.Exp(a[0]),
                "floor" => Math.Floor(a[0]),
                "ln" => a[0] <= 0 ? double.NaN : Math.Log(a[0]),
                "log" => a[0] <= 0 ? double.NaN : a.Length == 2 ? Math.Log(a[0], a[1]) : Math.Log(a[0]),
                "log10" => a[0] <= 0 ? double.NaN : Math.Log10(a[0]),
                "max" => Math.Max(a[0], a[1]),
                "min" => Math.Min(a[0], a[1]),
                "pow" => Math.Pow(a[0], a[1]),
                "round" => Math.Round(a[0], a.Length == 2 ? (int)Math.Clamp(a[1], 0, 15) : 0, MidpointRounding.AwayFromZero),
                "sign" => Math.Sign(a[0]),
                "sin" => Math.Sin(a[0]),
                "sqrt" => a[0] < 0 ? double.NaN : Math.Sqrt(a[0]),
                "tan" => Math.Tan(a[0]),
                _ => Math.Truncate(a[0]), // "truncate"
            };
        }
    }

    // Functions with their allowed argument counts (NCalc's built-ins, names case-insensitive).
    private static readonly Dictionary<string, (int Min, int Max)> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["abs"] = (1, 1), ["acos"] = (1, 1), ["asin"] = (1, 1), ["atan"] = (1, 1), ["ceiling"] = (1, 1),
        ["cos"] = (1, 1), ["exp"] = (1, 1), ["floor"] = (1, 1), ["ln"] = (1, 1), ["log"] = (1, 2),
        ["log10"] = (1, 1), ["max"] = (2, 2), ["min"] = (2, 2), ["pow"] = (2, 2), ["round"] = (1, 2),
        ["sign"] = (1, 1), ["sin"] = (1, 1), ["sqrt"] = (1, 1), ["tan"] = (1, 1), ["truncate"] = (1, 1),
        ["if"] = (3, 3),
    };

    private sealed class ParseException(int column, string message) : Exception(message)
    {
        public int Column { get; } = column;
    }

    /// <summary>Recursive descent, lowest precedence first: ?: , or, and, equality, relational, additive, multiplicative, power, unary.</summary>
    private sealed class Parser(string text)
    {
        private readonly List<string> _parameters = [];
        private int _pos;

        public List<string> Parameters => _parameters;

        public Node ParseAll()
        {
            SkipSpace();
            if (_pos >= text.Length)
            {
                throw new ParseException(1, "the formula is empty; expected an expression such as [promoters] - [detractors]");
            }

            var node = ParseConditional();
            SkipSpace();
            if (_pos < text.Length)
            {
                throw Error($"unexpected '{text[_pos]}'; expected an operator or the end of the formula");
            }

            return node;
        }

        private ParseException Error(string message) => new(_pos + 1, message);

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private bool Accept(string token)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, _pos, token, 0, token.Length) != 0)
            {
                return false;
            }

            // A word operator must not run into an identifier ("order" is not "or" + "der").
            if (char.IsLetter(token[0]) && _pos + token.Length < text.Length && IsIdentifierChar(text[_pos + token.Length]))
            {
                return false;
            }

            _pos += token.Length;
            return true;
        }

        private bool AcceptWord(string word)
        {
            SkipSpace();
            int end = _pos;
            while (end < text.Length && IsIdentifierChar(text[end]))
            {
                end++;
            }

            if (end - _pos == word.Length && string.Compare(text, _pos, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                _pos = end;
                return true;
            }

            return false;
        }

        private void Expect(string token, string what)
        {
            if (!Accept(token))
            {
                throw Error(_pos >= text.Length ? $"the formula ends early; expected {what}" : $"unexpected '{text[_pos]}'; expected {what}");
            }
        }

        private Node ParseConditional()
        {
            var condition = ParseOr();
            if (!Accept("?"))
            {
                return condition;
            }

            var whenTrue = ParseConditional();
            Expect(":", "':' of a conditional 'c ? a : b'");
            var whenFalse = ParseConditional();
            return new Conditional(condition, whenTrue, whenFalse);
        }

        private Node ParseOr()
        {
            var left = ParseAnd();
            while (Accept("||") || AcceptWord("or"))
            {
                left = new Binary("or", left, ParseAnd());
            }

            return left;
        }

        private Node ParseAnd()
        {
            var left = ParseEquality();
            while (Accept("&&") || AcceptWord("and"))
            {
                left = new Binary("and", left, ParseEquality());
            }

            return left;
        }

        private Node ParseEquality()
        {
            var left = ParseRelational();
            while (true)
            {
                if (Accept("==") || Accept("="))
                {
                    left = new Binary("==", left, ParseRelational());
                }
                else if (Accept("!=") || Accept("<>"))
                {
                    left = new Binary("!=", left, ParseRelational());
                }
                else
                {
                    return left;
                }
            }
        }

        private Node ParseRelational()
        {
            var left = ParseAdditive();
            while (true)
            {
                string? op = Accept("<=") ? "<=" : Accept(">=") ? ">=" : Accept("<") ? "<" : Accept(">") ? ">" : null;
                if (op is null)
                {
                    return left;
                }

                left = new Binary(op, left, ParseAdditive());
            }
        }

        private Node ParseAdditive()
        {
            var left = ParseMultiplicative();
            while (true)
            {
                string? op = Accept("+") ? "+" : Accept("-") ? "-" : null;
                if (op is null)
                {
                    return left;
                }

                left = new Binary(op, left, ParseMultiplicative());
            }
        }

        private Node ParseMultiplicative()
        {
            var left = ParsePower();
            while (true)
            {
                SkipSpace();
                if (_pos + 1 < text.Length && text[_pos] == '*' && text[_pos + 1] == '*')
                {
                    return left; // handled by ParsePower
                }

                string? op = Accept("*") ? "*" : Accept("/") ? "/" : Accept("%") ? "%" : null;
                if (op is null)
                {
                    return left;
                }

                left = new Binary(op, left, ParsePower());
            }
        }

        private Node ParsePower()
        {
            var left = ParseUnary();
            // Right-associative: 2 ** 3 ** 2 = 2 ** 9.
            return Accept("**") ? new Binary("**", left, ParsePower()) : left;
        }

        private Node ParseUnary()
        {
            if (Accept("-"))
            {
                return new Unary('-', ParseUnary());
            }

            if (Accept("+"))
            {
                return ParseUnary();
            }

            if (Accept("!") || AcceptWord("not"))
            {
                return new Unary('!', ParseUnary());
            }

            return ParsePrimary();
        }

        private Node ParsePrimary()
        {
            SkipSpace();
            if (_pos >= text.Length)
            {
                throw Error("the formula ends early; expected a number, a [measure] or '('");
            }

            char c = text[_pos];
            if (c == '(')
            {
                _pos++;
                var inner = ParseConditional();
                Expect(")", "')'");
                return inner;
            }

            if (c == '[')
            {
                int close = text.IndexOf(']', _pos + 1);
                if (close < 0)
                {
                    throw Error("'[' is never closed; expected ']' after the measure id");
                }

                string name = text[(_pos + 1)..close].Trim();
                if (name.Length == 0)
                {
                    throw Error("'[]' names no measure; expected [measure-id]");
                }

                _pos = close + 1;
                return Param(name);
            }

            if (char.IsDigit(c) || c == '.')
            {
                return ParseNumber();
            }

            if (IsIdentifierStart(c))
            {
                int start = _pos;
                while (_pos < text.Length && IsIdentifierChar(text[_pos]))
                {
                    _pos++;
                }

                string name = text[start.._pos];
                if (name.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    return new Constant(1);
                }

                if (name.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    return new Constant(0);
                }

                SkipSpace();
                if (_pos < text.Length && text[_pos] == '(')
                {
                    return ParseCall(name, start);
                }

                return Param(name);
            }

            throw Error($"unexpected '{c}'; expected a number, a [measure], a name or '('");
        }

        private Node ParseCall(string name, int start)
        {
            if (!Functions.TryGetValue(name, out var arity))
            {
                throw new ParseException(start + 1, $"unknown function '{name}'; expected one of {string.Join(", ", Functions.Keys)}");
            }

            _pos++; // '('
            var args = new List<Node>();
            if (!Accept(")"))
            {
                do
                {
                    args.Add(ParseConditional());
                }
                while (Accept(","));
                Expect(")", $"',' or ')' in the call of {name}");
            }

            if (args.Count < arity.Min || args.Count > arity.Max)
            {
                string expected = arity.Min == arity.Max ? $"{arity.Min}" : $"{arity.Min} or {arity.Max}";
                throw new ParseException(start + 1, $"{name} takes {expected} argument(s), not {args.Count}");
            }

            string lower = name.ToLowerInvariant();
            return lower == "if" ? new Conditional(args[0], args[1], args[2]) : new Call(lower, [.. args]);
        }

        private Constant ParseNumber()
        {
            int start = _pos;
            while (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '.'))
            {
                _pos++;
            }

            if (_pos < text.Length && (text[_pos] == 'e' || text[_pos] == 'E'))
            {
                int save = _pos;
                _pos++;
                if (_pos < text.Length && (text[_pos] == '+' || text[_pos] == '-'))
                {
                    _pos++;
                }

                if (_pos < text.Length && char.IsDigit(text[_pos]))
                {
                    while (_pos < text.Length && char.IsDigit(text[_pos]))
                    {
                        _pos++;
                    }
                }
                else
                {
                    _pos = save;
                }
            }

            string token = text[start.._pos];
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                throw new ParseException(start + 1, $"'{token}' is not a number");
            }

            return new Constant(value);
        }

        private Parameter Param(string name)
        {
            int index = _parameters.IndexOf(name);
            if (index < 0)
            {
                index = _parameters.Count;
                _parameters.Add(name);
            }

            return new Parameter(index);
        }

        private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

        private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }
}
