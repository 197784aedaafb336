using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using Neuromorphic.Traces;

namespace Neuromorphic.Cli;

/// <summary>
/// The one line a command line that does not parse gets: it names the token that is wrong (a mistyped option, not the
/// word after it that System.CommandLine ends up blaming; an unknown command with the valid ones), the option a bad
/// value belongs to, a "did you mean" from the command's own options or commands when one is close, and the help of
/// the command at hand (<c>see 'neuromorphic run --help'</c>).
/// </summary>
internal static partial class ParseErrorText
{
    /// <summary>
    /// What is wrong with <paramref name="parse"/>, or null when nothing is. An unknown option is found even when the
    /// parse has no error: a command's file argument takes <c>--sed</c> as a file name.
    /// </summary>
    /// <param name="parse">The parse of the command line.</param>
    /// <returns>The message without <c>error: </c>, or null.</returns>
    public static string? Of(ParseResult parse)
    {
        var problem = UnknownOption(parse) ?? (parse.Errors.Count == 0 ? null : UnknownCommand(parse) ?? OfError(parse.Errors[0]));
        return problem is null ? null : $"{problem} (see '{PathOf(parse.CommandResult)} --help')";
    }

    /// <summary>
    /// The first token that looks like an option but is none of the command's: System.CommandLine hands it to the
    /// command's argument (so <c>run --sed 3</c> blamed <c>3</c>) or leaves it unmatched.
    /// </summary>
    private static string? UnknownOption(ParseResult parse)
    {
        var command = parse.CommandResult;
        var unmatched = parse.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        var asArgument = command.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var token in parse.Tokens)
        {
            if (token.Type != TokenType.Argument || !LooksLikeOption(token.Value)) continue;
            if (!unmatched.Contains(token.Value) && !asArgument.Contains(token.Value)) continue;
            // A file may start with a dash: only a name that is no file is taken for a mistyped option.
            if (File.Exists(token.Value) || Directory.Exists(token.Value)) continue;
            var name = token.Value.Split('=', 2)[0];
            var close = Spelling.Closest(name, OptionNames(command));
            return $"unknown option '{name}' for '{PathOf(command)}'" + (close is null ? "" : $" (did you mean '{close}'?)");
        }
        return null;
    }

    /// <summary>A word given where a command has subcommands and none matched (<c>bench cubaa</c>, <c>frobnicate</c>).</summary>
    private static string? UnknownCommand(ParseResult parse)
    {
        var command = parse.CommandResult;
        var names = command.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        if (names.Count == 0) return null;
        var list = string.Join(", ", names);
        var word = parse.UnmatchedTokens.FirstOrDefault(t => !LooksLikeOption(t));
        if (word is null)
            return parse.Errors.Any(e => e.Message.StartsWith("Required command", StringComparison.Ordinal))
                ? $"'{PathOf(command)}' needs a command: {list}" : null;
        var close = Spelling.Closest(word, names);
        return $"unknown command '{word}' for '{PathOf(command)}'" + (close is null ? "" : $" (did you mean '{close}'?)") + $"; commands: {list}";
    }

    /// <summary>Any other parse error, prefixed with the option its value was given to when the message does not name it.</summary>
    private static string OfError(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option.Name,
            ArgumentResult { Parent: OptionResult o } => o.Option.Name,
            _ => null,
        };
        var message = UserMessages.OfParseError(error.Message);
        if (NotAmong().Match(message) is { Success: true } m)
        {
            var choices = Regex.Matches(m.Groups[2].Value, "'([^']*)'").Select(c => c.Groups[1].Value).ToList();
            var close = Spelling.Closest(m.Groups[1].Value, choices);
            message = $"'{m.Groups[1].Value}' is not one of {string.Join(", ", choices)}" + (close is null ? "" : $" (did you mean '{close}'?)");
        }
        else if (MissingValue().Match(message) is { Success: true } v)
        {
            return $"{v.Groups[1].Value} needs a value";
        }
        else if ((error.SymbolResult as CommandResult ?? error.SymbolResult?.Parent as CommandResult) is { } command && MissingArgument().IsMatch(message))
        {
            var arguments = string.Join(" ", command.Command.Arguments.Select(a => a.Name.ToUpperInvariant()));
            return $"'{PathOf(command)}' needs its argument{(command.Command.Arguments.Count > 1 ? "s" : "")} {arguments}";
        }
        return option is null || message.StartsWith(option, StringComparison.Ordinal) ? message : $"{option}: {message}";
    }

    /// <summary>True for <c>-x</c> and <c>--xyz</c>, not for a negative number or a lone dash.</summary>
    private static bool LooksLikeOption(string token) =>
        token.Length > 1 && token[0] == '-' && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>The options <paramref name="command"/> accepts: its own and its ancestors' recursive ones, with aliases.</summary>
    private static IEnumerable<string> OptionNames(CommandResult command)
    {
        for (SymbolResult? at = command; at is not null; at = at.Parent)
        {
            if (at is not CommandResult c) continue;
            foreach (var option in c.Command.Options.Where(o => ReferenceEquals(c, command) || o.Recursive))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases) yield return alias;
            }
        }
    }

    /// <summary><c>neuromorphic bench cuba</c>: the program's name and the commands down to <paramref name="command"/>.</summary>
    private static string PathOf(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? at = command; at is not null; at = at.Parent)
            if (at is CommandResult c && c.Command is not RootCommand) names.Add(c.Command.Name);
        names.Add("neuromorphic");
        names.Reverse();
        return string.Join(' ', names);
    }

    [GeneratedRegex(@"^Argument '(.*)' not recognized\. Must be one of:\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex NotAmong();

    [GeneratedRegex(@"^Required argument missing for option: '(.*)'\.?$")]
    private static partial Regex MissingValue();

    [GeneratedRegex(@"^Required argument missing for command: '(.*)'\.?$")]
    private static partial Regex MissingArgument();
}
