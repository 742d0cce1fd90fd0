using System.CommandLine;
using CoPilot.Cli.Generation;

namespace CoPilot.Cli.Commands;

/// <summary>The options the generating commands (continue, harmonize, accompany) share, written once.</summary>
internal static class GenerationOptions
{
    public static Option<string?> Track() => new("--track")
    {
        Description = "The melody track, by name or 0-based number; else a track named like a melody, else the one with the most notes.",
    };

    public static Option<string?> Model() => new("--model")
    {
        Description = $"The ONNX model; models/{ModelFiles.ModelFileName} in the repository or beside the executable by default.",
    };

    /// <summary>A sampling temperature: a finite number, 0 (the likeliest choice) or more.</summary>
    public static Option<float> Temperature(string description, float defaultValue)
    {
        var temperature = new Option<float>("--temperature") { Description = description, DefaultValueFactory = _ => defaultValue };
        temperature.Validators.Add(r =>
        {
            float t = r.GetValueOrDefault<float>();
            if (!float.IsFinite(t) || t < 0)
            {
                r.AddError("--temperature must be a finite number, 0 or more.");
            }
        });
        return temperature;
    }

    /// <summary>The style the model is conditioned on; read it with <see cref="ParseStyle"/>.</summary>
    public static Option<string> Style()
    {
        var style = new Option<string>("--style") { Description = "Style the model is conditioned on: pop, rock, folk, jazz or chorale.", DefaultValueFactory = _ => "pop" };
        style.AcceptOnlyFromAmong("pop", "rock", "folk", "jazz", "chorale");
        return style;
    }

    public static Inference.Tokens.Style ParseStyle(string? style) => style switch
    {
        "rock" => Inference.Tokens.Style.Rock,
        "folk" => Inference.Tokens.Style.Folk,
        "jazz" => Inference.Tokens.Style.Jazz,
        "chorale" => Inference.Tokens.Style.Chorale,
        _ => Inference.Tokens.Style.Pop,
    };
}
