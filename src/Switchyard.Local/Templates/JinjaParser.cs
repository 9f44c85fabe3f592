
namespace Switchyard.Local.Templates;

/// <summary>Recursive-descent parser from tokens to statement and expression nodes, following Jinja2's grammar.</summary>
internal sealed class JinjaParser
{
    private static readonly HashSet<string> EndTags =
        ["endif", "elif", "else", "endfor", "endset", "endmacro", "endgeneration", "endraw", "endfilter", "endcall", "endblock", "endwith"];

    private static readonly HashSet<string> UnsupportedTags =
        ["call", "filter", "include", "extends", "import", "from", "block", "with", "autoescape", "do", "trans"];

    private static readonly HashSet<string> NoTestArgument = ["else", "or", "and", "if", "in", "not", "is", "recursive"];

    private readonly TemplateSource source;
    private readonly List<JinjaToken> tokens;
    private int index;
    private int loopDepth;

    private JinjaParser(TemplateSource source, List<JinjaToken> tokens)
    {
        this.source = source;
        this.tokens = tokens;
    }

    public static Stmt[] Parse(TemplateSource source, List<JinjaToken> tokens)
    {
        var parser = new JinjaParser(source, tokens);
        return parser.ParseBody([], out _, 0, string.Empty);
    }

    private JinjaToken Current => tokens[index];

    private JinjaToken Peek(int ahead = 1) => tokens[Math.Min(index + ahead, tokens.Count - 1)];

    private JinjaToken Next()
    {
        JinjaToken token = tokens[index];
        if (token.Kind != JinjaTokenKind.End)
        {
            index++;
        }

        return token;
    }

    private ChatTemplateException Error(int offset, string problem) => source.Error(ChatTemplateErrorKind.Syntax, offset, problem);

    private ChatTemplateException Unexpected(string expected) =>
        Error(Current.Offset, $"expected {expected}, found {Current.Describe()}");

    private string ExpectName(string what)
    {
        if (Current.Kind != JinjaTokenKind.Name)
        {
            throw Unexpected(what);
        }

        return Next().Text;
    }

    private void ExpectOperator(string op)
    {
        if (!Current.IsOperator(op))
        {
            throw Unexpected($"'{op}'");
        }

        Next();
    }

    private void ExpectBlockEnd()
    {
        if (Current.Kind != JinjaTokenKind.BlockEnd)
        {
            throw Unexpected("'%}'");
        }

        Next();
    }

    private bool SkipOperator(string op)
    {
        if (!Current.IsOperator(op))
        {
            return false;
        }

        Next();
        return true;
    }

    private Stmt[] ParseBody(string[] ends, out string endTag, int openOffset, string openTag)
    {
        var body = new List<Stmt>();
        while (true)
        {
            JinjaToken token = Current;
            switch (token.Kind)
            {
                case JinjaTokenKind.Text:
                    Next();
                    body.Add(new TextStmt(token.Offset, token.Text));
                    break;
                case JinjaTokenKind.VariableBegin:
                    Next();
                    Expr expr = ParseTuple(withCondExpr: true);
                    if (Current.Kind != JinjaTokenKind.VariableEnd)
                    {
                        throw Unexpected("'}}'");
                    }

                    Next();
                    body.Add(new OutputStmt(token.Offset, expr));
                    break;
                case JinjaTokenKind.BlockBegin:
                    JinjaToken name = Peek();
                    if (name.Kind != JinjaTokenKind.Name)
                    {
                        throw Error(name.Offset, $"expected a tag name, found {name.Describe()}");
                    }

                    Next();
                    Next();
                    if (Array.IndexOf(ends, name.Text) >= 0)
                    {
                        endTag = name.Text;
                        return [.. body];
                    }

                    body.Add(ParseTag(token.Offset, name));
                    break;
                case JinjaTokenKind.End:
                    if (ends.Length > 0)
                    {
                        (int line, int column) = source.LineColumn(openOffset);
                        throw Error(token.Offset, $"unexpected end of template: the '{openTag}' at line {line}, column {column} needs {string.Join(" or ", ends.Select(e => $"'{e}'"))}");
                    }

                    endTag = string.Empty;
                    return [.. body];
                default:
                    throw Error(token.Offset, $"unexpected {token.Describe()}");
            }
        }
    }

    private Stmt ParseTag(int offset, JinjaToken name)
    {
        switch (name.Text)
        {
            case "if":
                return ParseIf(offset);
            case "for":
                return ParseFor(offset);
            case "set":
                return ParseSet(offset);
            case "macro":
                return ParseMacro(offset);
            case "break" or "continue":
                if (loopDepth == 0)
                {
                    throw Error(name.Offset, $"'{name.Text}' is only allowed inside a for loop");
                }

                ExpectBlockEnd();
                return new LoopControlStmt(offset, name.Text == "break" ? Flow.Break : Flow.Continue);
            case "generation":
                ExpectBlockEnd();
                Stmt[] body = ParseBody(["endgeneration"], out _, offset, "generation");
                ExpectBlockEnd();
                return new BlockStmt(offset, body);
            default:
                if (EndTags.Contains(name.Text))
                {
                    throw Error(name.Offset, $"unexpected '{name.Text}': no open block to end or continue here");
                }

                throw Error(name.Offset, UnsupportedTags.Contains(name.Text)
                    ? $"the '{name.Text}' tag is not supported"
                    : $"unknown tag '{name.Text}'");
        }
    }

    private IfStmt ParseIf(int offset)
    {
        var conditions = new List<Expr>();
        var bodies = new List<Stmt[]>();
        Stmt[]? otherwise = null;
        Expr condition = ParseTuple(withCondExpr: false);
        ExpectBlockEnd();
        while (true)
        {
            Stmt[] body = ParseBody(["elif", "else", "endif"], out string end, offset, "if");
            conditions.Add(condition);
            bodies.Add(body);
            if (end == "elif")
            {
                condition = ParseTuple(withCondExpr: false);
                ExpectBlockEnd();
                continue;
            }

            ExpectBlockEnd();
            if (end == "else")
            {
                otherwise = ParseBody(["endif"], out _, offset, "if");
                ExpectBlockEnd();
            }

            return new IfStmt(offset, [.. conditions], [.. bodies], otherwise);
        }
    }

    private ForStmt ParseFor(int offset)
    {
        string[] targets = ParseTargets();
        if (!Current.IsName("in"))
        {
            throw Unexpected("'in'");
        }

        Next();
        Expr iterable = ParseTuple(withCondExpr: false);
        Expr? filter = null;
        if (Current.IsName("if"))
        {
            Next();
            filter = ParseExpression();
        }

        if (Current.IsName("recursive"))
        {
            throw Error(Current.Offset, "recursive for loops are not supported");
        }

        ExpectBlockEnd();
        loopDepth++;
        Stmt[] body = ParseBody(["endfor", "else"], out string end, offset, "for");
        loopDepth--;
        ExpectBlockEnd();
        Stmt[]? otherwise = null;
        if (end == "else")
        {
            otherwise = ParseBody(["endfor"], out _, offset, "for");
            ExpectBlockEnd();
        }

        return new ForStmt(offset, targets, iterable, filter, body, otherwise);
    }

    private string[] ParseTargets()
    {
        bool parenthesised = SkipOperator("(");
        var names = new List<string> { ExpectName("a variable name") };
        while (SkipOperator(","))
        {
            if (Current.Kind != JinjaTokenKind.Name || Current.IsName("in"))
            {
                break;
            }

            names.Add(Next().Text);
        }

        if (parenthesised)
        {
            ExpectOperator(")");
        }

        return [.. names];
    }

    private Stmt ParseSet(int offset)
    {
        if (Current.Kind == JinjaTokenKind.Name && Peek().IsOperator("."))
        {
            string name = Next().Text;
            Next();
            string attribute = ExpectName("an attribute name");
            ExpectOperator("=");
            Expr value = ParseTuple(withCondExpr: true);
            ExpectBlockEnd();
            return new SetAttributeStmt(offset, name, attribute, value);
        }

        string[] targets = ParseTargets();
        if (SkipOperator("="))
        {
            Expr value = ParseTuple(withCondExpr: true);
            ExpectBlockEnd();
            return new SetStmt(offset, targets, value);
        }

        if (targets.Length != 1)
        {
            throw Unexpected("'='");
        }

        ExpectBlockEnd();
        Stmt[] body = ParseBody(["endset"], out _, offset, "set");
        ExpectBlockEnd();
        return new SetBlockStmt(offset, targets[0], body);
    }

    private MacroStmt ParseMacro(int offset)
    {
        string name = ExpectName("a macro name");
        ExpectOperator("(");
        var parameters = new List<string>();
        var defaults = new List<Expr?>();
        while (!Current.IsOperator(")"))
        {
            if (parameters.Count > 0)
            {
                ExpectOperator(",");
                if (Current.IsOperator(")"))
                {
                    break;
                }
            }

            parameters.Add(ExpectName("a parameter name"));
            defaults.Add(SkipOperator("=") ? ParseExpression() : null);
        }

        Next();
        ExpectBlockEnd();
        int savedLoopDepth = loopDepth;
        loopDepth = 0;
        Stmt[] body = ParseBody(["endmacro"], out _, offset, "macro");
        loopDepth = savedLoopDepth;
        ExpectBlockEnd();
        return new MacroStmt(offset, name, [.. parameters], [.. defaults], body);
    }

    private bool AtTupleEnd() =>
        Current.Kind is JinjaTokenKind.VariableEnd or JinjaTokenKind.BlockEnd or JinjaTokenKind.End
        || Current.IsOperator(")") || Current.IsOperator("]") || Current.IsName("if");

    /// <summary>An expression, or a comma-separated tuple of them (evaluated as a list).</summary>
    private Expr ParseTuple(bool withCondExpr)
    {
        int offset = Current.Offset;
        Expr first = withCondExpr ? ParseExpression() : ParseOr();
        if (!Current.IsOperator(","))
        {
            return first;
        }

        var items = new List<Expr> { first };
        while (SkipOperator(","))
        {
            if (AtTupleEnd())
            {
                break;
            }

            items.Add(withCondExpr ? ParseExpression() : ParseOr());
        }

        return new ListExpr(offset, [.. items]);
    }

    private Expr ParseExpression()
    {
        Expr expr = ParseOr();
        while (Current.IsName("if"))
        {
            int offset = Next().Offset;
            Expr test = ParseOr();
            Expr? otherwise = null;
            if (Current.IsName("else"))
            {
                Next();
                otherwise = ParseExpression();
            }

            expr = new ConditionalExpr(offset, test, expr, otherwise);
        }

        return expr;
    }

    private Expr ParseOr()
    {
        Expr left = ParseAnd();
        while (Current.IsName("or"))
        {
            int offset = Next().Offset;
            left = new OrExpr(offset, left, ParseAnd());
        }

        return left;
    }

    private Expr ParseAnd()
    {
        Expr left = ParseNot();
        while (Current.IsName("and"))
        {
            int offset = Next().Offset;
            left = new AndExpr(offset, left, ParseNot());
        }

        return left;
    }

    private Expr ParseNot()
    {
        if (Current.IsName("not"))
        {
            int offset = Next().Offset;
            return new NotExpr(offset, ParseNot());
        }

        return ParseCompare();
    }

    private Expr ParseCompare()
    {
        int offset = Current.Offset;
        Expr left = ParseMath1();
        var ops = new List<string>();
        var operands = new List<Expr>();
        while (true)
        {
            JinjaToken token = Current;
            if (token.Kind == JinjaTokenKind.Operator && token.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
            {
                Next();
                ops.Add(token.Text);
            }
            else if (token.IsName("in"))
            {
                Next();
                ops.Add("in");
            }
            else if (token.IsName("not") && Peek().IsName("in"))
            {
                Next();
                Next();
                ops.Add("not in");
            }
            else
            {
                break;
            }

            operands.Add(ParseMath1());
        }

        return ops.Count == 0 ? left : new CompareExpr(offset, left, [.. ops], [.. operands]);
    }

    private Expr ParseMath1()
    {
        Expr left = ParseConcat();
        while (Current.IsOperator("+") || Current.IsOperator("-"))
        {
            JinjaToken op = Next();
            left = new BinaryExpr(op.Offset, op.Text, left, ParseConcat());
        }

        return left;
    }

    private Expr ParseConcat()
    {
        Expr left = ParseMath2();
        while (Current.IsOperator("~"))
        {
            JinjaToken op = Next();
            left = new BinaryExpr(op.Offset, "~", left, ParseMath2());
        }

        return left;
    }

    private Expr ParseMath2()
    {
        Expr left = ParsePow();
        while (Current.Kind == JinjaTokenKind.Operator && Current.Text is "*" or "/" or "//" or "%")
        {
            JinjaToken op = Next();
            left = new BinaryExpr(op.Offset, op.Text, left, ParsePow());
        }

        return left;
    }

    private Expr ParsePow()
    {
        Expr left = ParseUnary(withFilter: true);
        while (Current.IsOperator("**"))
        {
            JinjaToken op = Next();
            left = new BinaryExpr(op.Offset, "**", left, ParseUnary(withFilter: true));
        }

        return left;
    }

    private Expr ParseUnary(bool withFilter)
    {
        Expr node;
        if (Current.IsOperator("-") || Current.IsOperator("+"))
        {
            JinjaToken op = Next();
            node = new NegateExpr(op.Offset, ParseUnary(withFilter: false), minus: op.Text == "-");
        }
        else
        {
            node = ParsePrimary();
        }

        node = ParsePostfix(node);
        return withFilter ? ParseFilterExpr(node) : node;
    }

    private Expr ParsePrimary()
    {
        JinjaToken token = Current;
        switch (token.Kind)
        {
            case JinjaTokenKind.Name:
                Next();
                return token.Text switch
                {
                    "true" or "True" => new ConstantExpr(token.Offset, true),
                    "false" or "False" => new ConstantExpr(token.Offset, false),
                    "none" or "None" => new ConstantExpr(token.Offset, null),
                    _ => new NameExpr(token.Offset, token.Text),
                };
            case JinjaTokenKind.String:
                string text = Next().Text;
                while (Current.Kind == JinjaTokenKind.String)
                {
                    text += Next().Text;
                }

                return new ConstantExpr(token.Offset, text);
            case JinjaTokenKind.Integer:
                Next();
                return new ConstantExpr(token.Offset, token.Integer);
            case JinjaTokenKind.Float:
                Next();
                return new ConstantExpr(token.Offset, token.Float);
            case JinjaTokenKind.Operator when token.Text == "(":
                Next();
                if (SkipOperator(")"))
                {
                    return new ListExpr(token.Offset, []);
                }

                Expr inner = ParseTuple(withCondExpr: true);
                ExpectOperator(")");
                return inner;
            case JinjaTokenKind.Operator when token.Text == "[":
                Next();
                var items = new List<Expr>();
                while (!SkipOperator("]"))
                {
                    if (items.Count > 0)
                    {
                        ExpectOperator(",");
                        if (SkipOperator("]"))
                        {
                            break;
                        }
                    }

                    items.Add(ParseExpression());
                }

                return new ListExpr(token.Offset, [.. items]);
            case JinjaTokenKind.Operator when token.Text == "{":
                Next();
                var keys = new List<Expr>();
                var values = new List<Expr>();
                while (!SkipOperator("}"))
                {
                    if (keys.Count > 0)
                    {
                        ExpectOperator(",");
                        if (SkipOperator("}"))
                        {
                            break;
                        }
                    }

                    keys.Add(ParseExpression());
                    ExpectOperator(":");
                    values.Add(ParseExpression());
                }

                return new DictExpr(token.Offset, [.. keys], [.. values]);
            default:
                throw Error(token.Offset, $"unexpected {token.Describe()}: expected an expression");
        }
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            JinjaToken token = Current;
            if (token.IsOperator("."))
            {
                Next();
                JinjaToken member = Next();
                node = member.Kind switch
                {
                    JinjaTokenKind.Name => new AttributeExpr(token.Offset, node, member.Text),
                    JinjaTokenKind.Integer => new ItemExpr(token.Offset, node, new ConstantExpr(member.Offset, member.Integer)),
                    _ => throw Error(member.Offset, $"expected an attribute name after '.', found {member.Describe()}"),
                };
            }
            else if (token.IsOperator("["))
            {
                node = ParseSubscript(node);
            }
            else if (token.IsOperator("("))
            {
                node = new CallExpr(node.Offset, node, ParseArguments());
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseSubscript(Expr target)
    {
        int offset = Next().Offset;
        Expr? start = null;
        if (!Current.IsOperator(":"))
        {
            start = ParseExpression();
            if (SkipOperator("]"))
            {
                return new ItemExpr(offset, target, start);
            }
        }

        ExpectOperator(":");
        Expr? stop = Current.IsOperator("]") || Current.IsOperator(":") ? null : ParseExpression();
        Expr? step = null;
        if (SkipOperator(":") && !Current.IsOperator("]"))
        {
            step = ParseExpression();
        }

        ExpectOperator("]");
        return new SliceExpr(offset, target, start, stop, step);
    }

    private ArgumentList ParseArguments()
    {
        ExpectOperator("(");
        var positional = new List<Expr>();
        var named = new List<KeyValuePair<string, Expr>>();
        while (!SkipOperator(")"))
        {
            if (positional.Count + named.Count > 0)
            {
                ExpectOperator(",");
                if (SkipOperator(")"))
                {
                    break;
                }
            }

            if (Current.IsOperator("*") || Current.IsOperator("**"))
            {
                throw Error(Current.Offset, "*args and **kwargs in calls are not supported");
            }

            if (Current.Kind == JinjaTokenKind.Name && Peek().IsOperator("="))
            {
                string name = Next().Text;
                Next();
                named.Add(new(name, ParseExpression()));
            }
            else if (named.Count > 0)
            {
                throw Error(Current.Offset, "a positional argument follows a keyword argument");
            }
            else
            {
                positional.Add(ParseExpression());
            }
        }

        return new ArgumentList([.. positional], [.. named]);
    }

    private Expr ParseFilterExpr(Expr node)
    {
        while (true)
        {
            JinjaToken token = Current;
            if (token.IsOperator("|"))
            {
                Next();
                JinjaToken name = Current;
                string filterName = ExpectName("a filter name");
                ArgumentList args = Current.IsOperator("(") ? ParseArguments() : ArgumentList.None;
                if (!JinjaFilters.TryGet(filterName, out JinjaFilter filter))
                {
                    throw Error(name.Offset, $"no filter named '{filterName}'");
                }

                node = new FilterExpr(name.Offset, node, filter, args);
            }
            else if (token.IsName("is"))
            {
                Next();
                bool negated = false;
                if (Current.IsName("not"))
                {
                    Next();
                    negated = true;
                }

                JinjaToken name = Current;
                string testName = ExpectName("a test name");
                ArgumentList args = ArgumentList.None;
                if (Current.IsOperator("("))
                {
                    args = ParseArguments();
                }
                else if (StartsTestArgument())
                {
                    args = new ArgumentList([ParsePostfix(ParsePrimary())], []);
                }

                if (!JinjaTests.TryGet(testName, out JinjaTest test))
                {
                    throw Error(name.Offset, $"no test named '{testName}'");
                }

                node = new TestExpr(name.Offset, node, test, args, negated);
            }
            else if (token.IsOperator("("))
            {
                node = new CallExpr(token.Offset, node, ParseArguments());
            }
            else
            {
                return node;
            }
        }
    }

    private bool StartsTestArgument()
    {
        JinjaToken token = Current;
        return token.Kind switch
        {
            JinjaTokenKind.Name => !NoTestArgument.Contains(token.Text),
            JinjaTokenKind.String or JinjaTokenKind.Integer or JinjaTokenKind.Float => true,
            JinjaTokenKind.Operator => token.Text is "[" or "{",
            _ => false,
        };
    }
}
