using OpenBsc.Domain.Formulas;

namespace OpenBsc.Domain.Tests;

public class FormulaTests
{
    [Theory]
    [InlineData("[promoters-pct] - [detractors-pct]", 52, 12, 40)]
    [InlineData("[a] / [b] * 100", 30, 40, 75)]
    [InlineData("pow([a] - [b], 2)", 5, 3, 4)]
    [InlineData("Pow([a], 2) + Abs([b])", 3, -4, 13)]
    [InlineData("max([a], [b]) - min([a], [b])", 3, 10, 7)]
    [InlineData("if([a] > [b], 1, 0)", 3, 2, 1)]
    [InlineData("[a] > [b] ? [a] : [b]", 3, 7, 7)]
    [InlineData("round([a] / [b], 2)", 2, 3, 0.67)]
    [InlineData("-[a] + 2 * [b]", 1, 2, 3)]
    [InlineData("2 ** 3 ** 2 + [a] - [b]", 0, 0, 512)]
    [InlineData("[a] % [b]", 7, 4, 3)]
    [InlineData("[a] = 3 and [b] != 3", 3, 4, 1)]
    [InlineData("1e2 + [a] + [b]", 0.5, 0.5, 101)]
    public void Evaluate_ArithmeticAndFunctions(string text, double a, double b, double expected)
    {
        var formula = Formula.Parse(text);
        var values = new Dictionary<string, double?> { ["a"] = a, ["b"] = b, ["promoters-pct"] = a, ["detractors-pct"] = b };

        Assert.Equal(expected, formula.Evaluate(name => values[name])!.Value, 9);
    }

    [Theory]
    [InlineData("[a] / [b]")]
    [InlineData("[a] % [b]")]
    [InlineData("sqrt(-1 * [a])")]
    [InlineData("ln([b])")]
    public void Evaluate_DivisionByZeroOrDomainError_IsMissingNotInfinity(string text)
    {
        var result = Formula.Parse(text).Evaluate(name => name == "a" ? 1 : 0);

        Assert.Null(result);
    }

    [Fact]
    public void Evaluate_MissingInput_IsMissing()
    {
        Assert.Null(Formula.Parse("[a] + 1").Evaluate(_ => null));
        Assert.Null(Formula.Parse("if([a] > 1, 1, 0)").Evaluate(_ => null));
    }

    [Theory]
    [InlineData("[a] +", 6, "ends early")]
    [InlineData("([a] + 1", 9, "')'")]
    [InlineData("[a] + * 2", 7, "unexpected '*'")]
    [InlineData("[a", 1, "never closed")]
    [InlineData("foo([a])", 1, "unknown function 'foo'")]
    [InlineData("pow([a])", 1, "pow takes 2 argument(s), not 1")]
    [InlineData("[a] 2", 5, "unexpected '2'")]
    [InlineData("", 1, "empty")]
    public void TryParse_SyntaxError_NamesColumnAndExpectation(string text, int column, string message)
    {
        Assert.False(Formula.TryParse(text, out _, out var error));
        Assert.Equal(column, error.Column);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_AreDistinctInOrderOfAppearance()
    {
        var formula = Formula.Parse("([b] + [a]) / [b] + v");

        Assert.Equal(["b", "a", "v"], formula.Parameters);
    }
}
