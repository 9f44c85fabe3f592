namespace Switchyard.Evaluation.Simulation;

/// <summary>
/// The outcomes cannot be simulated as asked: no test prompt scores both models, too few training prompts are left
/// (for example after the leak guard dropped those also in the test set), and the like. The message is one sentence
/// for the user and names the cause.
/// </summary>
public sealed class SimulationInputException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public SimulationInputException()
        : base("The outcomes cannot be simulated.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What is wrong, for the user.</param>
    public SimulationInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and cause.</summary>
    /// <param name="message">What is wrong, for the user.</param>
    /// <param name="innerException">The underlying error.</param>
    public SimulationInputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
