namespace OpenBsc.Domain.Validation;

/// <summary>Finds cycles in a directed graph, each reported once as the path that closes it (a → b → a).</summary>
internal static class Cycles
{
    public static List<List<string>> Find(IEnumerable<string> nodes, Func<string, IEnumerable<string>> next)
    {
        var cycles = new List<List<string>>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the stack, 2 = done
        var stack = new List<string>();

        void Visit(string node)
        {
            state[node] = 1;
            stack.Add(node);
            foreach (string target in next(node))
            {
                if (!state.TryGetValue(target, out int s))
                {
                    Visit(target);
                }
                else if (s == 1)
                {
                    var cycle = stack.GetRange(stack.IndexOf(target), stack.Count - stack.IndexOf(target));
                    cycle.Add(target);
                    cycles.Add(cycle);
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[node] = 2;
        }

        foreach (string node in nodes)
        {
            if (!state.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return cycles;
    }
}
