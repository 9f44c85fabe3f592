namespace Switchyard.Local.Kernels;

/// <summary>
/// Runs one kind of <see cref="IRowDot"/> over a range of weight rows and all activation columns. For batches the
/// rows are taken a few at a time (a tile small enough to stay in cache) and every column is run against the tile, four
/// columns per weight-row pass, so each weight byte comes from memory once per call.
/// </summary>
internal static unsafe class RowTile
{
    /// <summary>Weight bytes per row tile when the batch is larger than one pass of four columns.</summary>
    private const int TileBytes = 32 * 1024;

    /// <summary>
    /// y[c * rows + r] = dot(row r, column c) for r in [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) and
    /// c in [0, <paramref name="batch"/>).
    /// </summary>
    public static void Run<TDot>(in WeightMatrix w, in Activations a, int batch, float* y, int rowStart, int rowEnd, bool simd)
        where TDot : IRowDot
    {
        byte* data = w.Data;
        nint rowBytes = w.RowBytes;
        int rows = w.Rows;
        if (!simd)
        {
            for (int r = rowStart; r < rowEnd; r++)
            {
                for (int c = 0; c < batch; c++)
                {
                    y[((nint)c * rows) + r] = TDot.DotScalar(data + (r * rowBytes), a, c);
                }
            }

            return;
        }

        if (batch == 1)
        {
            for (int r = rowStart; r < rowEnd; r++)
            {
                y[r] = TDot.Dot(data + (r * rowBytes), a, 0);
            }

            return;
        }

        int tileRows = (int)Math.Clamp(TileBytes / rowBytes, 1, rowEnd - rowStart);
        float* four = stackalloc float[4];
        for (int tile = rowStart; tile < rowEnd; tile += tileRows)
        {
            int tileEnd = Math.Min(rowEnd, tile + tileRows);
            int c = 0;
            for (; c + 4 <= batch; c += 4)
            {
                for (int r = tile; r < tileEnd; r++)
                {
                    TDot.Dot4(data + (r * rowBytes), a, c, four);
                    float* yc = y + ((nint)c * rows) + r;
                    yc[0] = four[0];
                    yc[rows] = four[1];
                    yc[2 * (nint)rows] = four[2];
                    yc[3 * (nint)rows] = four[3];
                }
            }

            for (; c < batch; c++)
            {
                for (int r = tile; r < tileEnd; r++)
                {
                    y[((nint)c * rows) + r] = TDot.Dot(data + (r * rowBytes), a, c);
                }
            }
        }
    }
}
