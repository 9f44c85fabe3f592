using Microsoft.Extensions.AI;
using Switchyard.Configuration;

namespace Switchyard.Evaluation.Tasks;

/// <summary>A model under evaluation.</summary>
/// <param name="Name">The name its outcomes are recorded under.</param>
/// <param name="Client">The client that reaches it (already bound to the model).</param>
/// <param name="Price">Its prices, to cost answers whose response does not report a cost itself (see <see cref="EvalRunner.CostKey"/>); null = cost unknown.</param>
public sealed record EvalModel(string Name, IChatClient Client, ModelPrice? Price = null);
