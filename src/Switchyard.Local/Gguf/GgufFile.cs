using System.IO.MemoryMappedFiles;

namespace Switchyard.Local.Gguf;

/// <summary>
/// A GGUF file (versions 2 and 3) opened read-only and memory-mapped: metadata and tensor infos are parsed on open,
/// tensor data stays in the mapping and is read in place, never copied into managed arrays.
/// </summary>
public sealed unsafe class GgufFile : IDisposable
{
    /// <summary>The four bytes every GGUF file starts with, "GGUF", read as a little-endian integer.</summary>
    public const uint Magic = 0x46554747;

    /// <summary>The tensor data alignment used when <c>general.alignment</c> is absent.</summary>
    public const int DefaultAlignment = 32;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly Dictionary<string, GgufTensorInfo> _byName;
    private byte* _base;

    private GgufFile(string path, long length, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* basePointer)
    {
        Path = path;
        Length = length;
        _map = map;
        _view = view;
        _base = basePointer;
        var cursor = new GgufCursor(basePointer, length, path);
        (Version, Metadata, Tensors, Alignment, DataOffset) = GgufParser.Parse(cursor, path);
        _byName = new Dictionary<string, GgufTensorInfo>(Tensors.Count, StringComparer.Ordinal);
        foreach (GgufTensorInfo t in Tensors)
        {
            if (!_byName.TryAdd(t.Name, t))
            {
                throw new GgufFormatException(path, -1, $"tensor '{t.Name}' is listed twice.");
            }
        }
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>The GGUF version (2 or 3).</summary>
    public uint Version { get; }

    /// <summary>The key/value metadata.</summary>
    public GgufMetadata Metadata { get; }

    /// <summary>The tensor infos, in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>The alignment of tensor data (from <c>general.alignment</c>, default 32).</summary>
    public int Alignment { get; }

    /// <summary>Where the tensor data section starts in the file.</summary>
    public long DataOffset { get; }

    /// <summary>Opens and parses <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="GgufFormatException">The file is not a GGUF file this reader supports, or is truncated or corrupt.</exception>
    public static GgufFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"Model file '{full}' does not exist.", full);
        }

        if (info.Length < 24)
        {
            throw new GgufFormatException(full, 0, $"the file is {info.Length} bytes long, too short for a GGUF header (24 bytes).");
        }

        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(full, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        bool acquired = false;
        try
        {
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            acquired = true;
            p += view.PointerOffset;
            return new GgufFile(full, info.Length, map, view, p);
        }
        catch
        {
            if (acquired)
            {
                view!.SafeMemoryMappedViewHandle.ReleasePointer();
            }

            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>Gets a tensor's info by name.</summary>
    /// <exception cref="GgufFormatException">The file has no such tensor.</exception>
    public GgufTensorInfo GetTensor(string name) =>
        _byName.TryGetValue(name, out GgufTensorInfo? t) ? t : throw new GgufFormatException(Path, -1, $"tensor '{name}' is missing.");

    /// <summary>Gets a tensor's info by name, or false when the file has no such tensor.</summary>
    public bool TryGetTensor(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out GgufTensorInfo tensor) =>
        _byName.TryGetValue(name, out tensor);

    /// <summary>A pointer to the first byte of a tensor's data in the mapping; valid until the file is disposed.</summary>
    public byte* GetTensorPointer(GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ObjectDisposedException.ThrowIf(_base == null, this);
        return _base + DataOffset + tensor.Offset;
    }

    /// <summary>A tensor's bytes in the mapping (tensors over 2 GiB must be read through <see cref="GetTensorPointer"/>).</summary>
    public ReadOnlySpan<byte> GetTensorBytes(GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.ByteSize > int.MaxValue)
        {
            throw new NotSupportedException($"Tensor '{tensor.Name}' is {tensor.ByteSize} bytes; read it through GetTensorPointer.");
        }

        return new ReadOnlySpan<byte>(GetTensorPointer(tensor), (int)tensor.ByteSize);
    }

    /// <summary>Releases the mapping; pointers and spans from <see cref="GetTensorPointer"/> and <see cref="GetTensorBytes"/> are invalid afterwards.</summary>
    public void Dispose()
    {
        if (_base != null)
        {
            _base = null;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map.Dispose();
        }
    }
}
