namespace CoPilot.Training;

/// <summary>Linear warm-up to the peak, then a half cosine down to the floor at the last step.</summary>
public static class LearningRateSchedule
{
    /// <summary>Learning rate for the update that takes the model from <paramref name="step"/> to step + 1.</summary>
    public static double At(long step, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (step < options.WarmupSteps)
        {
            return options.LearningRate * (step + 1) / options.WarmupSteps;
        }

        long decaySteps = Math.Max(1, options.Steps - options.WarmupSteps - 1);
        double progress = Math.Clamp((double)(step - options.WarmupSteps) / decaySteps, 0, 1);
        return options.MinLearningRate + (0.5 * (options.LearningRate - options.MinLearningRate) * (1 + Math.Cos(Math.PI * progress)));
    }
}
