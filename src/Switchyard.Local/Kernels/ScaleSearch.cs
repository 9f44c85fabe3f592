using System.Runtime.CompilerServices;

namespace Switchyard.Local.Kernels;

/// <summary>
/// The scale searches of ggml's reference K-quant quantizers, with the same float operations in the same order so the
/// chosen scales (and so the bytes written) match ggml's.
/// </summary>
internal static class ScaleSearch
{
    /// <summary>Below this largest magnitude a group counts as all zero.</summary>
    public const float GroupMaxEps = 1e-15f;

    /// <summary>Nearest integer, ties to even (ggml's <c>nearest_int</c>, valid for |x| below 2^22).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NearestInt(float x) => (int)MathF.Round(x);

    /// <summary>
    /// Symmetric quantization of <paramref name="x"/> to levels in [-nmax, nmax-1] (stored in <paramref name="levels"/>
    /// offset by nmax), weighting errors by x^2, trying 19 scales around nmax/max and keeping the best
    /// (ggml's <c>make_qx_quants</c> with rmse_type 1 and no importance weights). Returns the scale.
    /// </summary>
    public static float Symmetric(ReadOnlySpan<float> x, int nmax, Span<sbyte> levels)
    {
        int n = x.Length;
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; i++)
        {
            float ax = MathF.Abs(x[i]);
            if (ax > amax)
            {
                amax = ax;
                max = x[i];
            }
        }

        if (amax < GroupMaxEps)
        {
            levels[..n].Clear();
            return 0f;
        }

        float iscale = -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++)
        {
            int l = Math.Clamp(NearestInt(iscale * x[i]), -nmax, nmax - 1);
            levels[i] = (sbyte)(l + nmax);
            float w = x[i] * x[i];
            sumlx += w * x[i] * l;
            suml2 += w * l * l;
        }

        float scale = suml2 != 0 ? sumlx / suml2 : 0f;
        float best = scale * sumlx;
        for (int step = -9; step <= 9; step++)
        {
            if (step == 0)
            {
                continue;
            }

            iscale = -(nmax + (0.1f * step)) / max;
            sumlx = 0;
            suml2 = 0;
            for (int i = 0; i < n; i++)
            {
                int l = Math.Clamp(NearestInt(iscale * x[i]), -nmax, nmax - 1);
                float w = x[i] * x[i];
                sumlx += w * x[i] * l;
                suml2 += w * l * l;
            }

            if (suml2 > 0 && sumlx * sumlx > best * suml2)
            {
                for (int i = 0; i < n; i++)
                {
                    levels[i] = (sbyte)(nmax + Math.Clamp(NearestInt(iscale * x[i]), -nmax, nmax - 1));
                }

                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }

        return scale;
    }

    /// <summary>
    /// Asymmetric quantization x ~ scale * L - min with L in [0, nmax] and min &gt;= 0, minimizing the weighted squared
    /// error over a sweep of <paramref name="steps"/>+1 candidate scales (ggml's <c>make_qkx2_quants</c> without MAD).
    /// Returns the scale; <paramref name="min"/> receives the (non-negative) offset.
    /// </summary>
    public static float WithMin(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weights, int nmax, Span<byte> levels, Span<byte> scratch,
        float rmin, float rdelta, int steps, out float min)
    {
        int n = x.Length;
        float lo = x[0];
        float hi = x[0];
        float sumW = weights[0];
        float sumX = sumW * x[0];
        for (int i = 1; i < n; i++)
        {
            if (x[i] < lo)
            {
                lo = x[i];
            }

            if (x[i] > hi)
            {
                hi = x[i];
            }

            float w = weights[i];
            sumW += w;
            sumX += w * x[i];
        }

        if (lo > 0)
        {
            lo = 0;
        }

        if (hi == lo)
        {
            levels[..n].Clear();
            min = -lo;
            return 0f;
        }

        float iscale = nmax / (hi - lo);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++)
        {
            int l = NearestInt(iscale * (x[i] - lo));
            levels[i] = (byte)Math.Clamp(l, 0, nmax);
            float diff = (scale * levels[i]) + lo - x[i];
            bestError += weights[i] * (diff * diff);
        }

        if (steps < 1)
        {
            min = -lo;
            return scale;
        }

        for (int step = 0; step <= steps; step++)
        {
            iscale = (rmin + (rdelta * step) + nmax) / (hi - lo);
            float sumL = 0;
            float sumL2 = 0;
            float sumXL = 0;
            for (int i = 0; i < n; i++)
            {
                int l = Math.Clamp(NearestInt(iscale * (x[i] - lo)), 0, nmax);
                scratch[i] = (byte)l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[i];
            }

            float det = (sumW * sumL2) - (sumL * sumL);
            if (det > 0)
            {
                float thisScale = ((sumW * sumXL) - (sumX * sumL)) / det;
                float thisMin = ((sumL2 * sumX) - (sumL * sumXL)) / det;
                if (thisMin > 0)
                {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }

                float error = 0;
                for (int i = 0; i < n; i++)
                {
                    float diff = (thisScale * scratch[i]) + thisMin - x[i];
                    error += weights[i] * (diff * diff);
                }

                if (error < bestError)
                {
                    scratch[..n].CopyTo(levels);
                    bestError = error;
                    scale = thisScale;
                    lo = thisMin;
                }
            }
        }

        min = -lo;
        return scale;
    }
}
