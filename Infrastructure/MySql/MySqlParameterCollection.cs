using System.Collections;
using System.Data.Common;

namespace Linli.Infrastructure.MySql;

/// <summary>Parameters by position and by name; names match case-insensitively with or without the '@'/'?' prefix.</summary>
// CA1010: the base class fixes the non-generic collection shape.
#pragma warning disable CA1010
public sealed class MySqlParameterCollection : DbParameterCollection
{
    private readonly List<MySqlParameter> _items = [];
    private Dictionary<string, int>? _byName;

    public override int Count => _items.Count;

    public override object SyncRoot => ((ICollection)_items).SyncRoot;

    public new MySqlParameter this[int index]
    {
        get => _items[index];
        set => SetParameter(index, value);
    }

    public new MySqlParameter this[string name]
    {
        get => _items[IndexOfOrThrow(name)];
        set => SetParameter(name, value);
    }

    public MySqlParameter Add(MySqlParameter parameter)
    {
        AddParameter(parameter);
        return parameter;
    }

    public MySqlParameter AddWithValue(string name, object? value) => Add(new MySqlParameter(name, value));

    public override int Add(object value)
    {
        AddParameter(Cast(value));
        return _items.Count - 1;
    }

    public override void AddRange(Array values)
    {
        foreach (var value in values) Add(value!);
    }

    public override void Clear()
    {
        foreach (var item in _items) item.Collection = null;
        _items.Clear();
        _byName = null;
    }

    public override bool Contains(object value) => value is MySqlParameter p && _items.Contains(p);

    public override bool Contains(string value) => IndexOf(value) >= 0;

    public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);

    public override IEnumerator GetEnumerator() => _items.GetEnumerator();

    public override int IndexOf(object value) => value is MySqlParameter p ? _items.IndexOf(p) : -1;

    public override int IndexOf(string parameterName)
    {
        var name = MySqlParameter.NormalizeName(parameterName);
        if (_items.Count <= 8)
        {
            // A linear scan beats building a dictionary for the few parameters most statements have.
            for (var i = 0; i < _items.Count; i++)
                if (string.Equals(_items[i].NormalizedName, name, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }
        _byName ??= BuildIndex();
        return _byName.TryGetValue(name, out var index) ? index : -1;
    }

    public override void Insert(int index, object value)
    {
        var parameter = Cast(value);
        parameter.Collection = this;
        _items.Insert(index, parameter);
        _byName = null;
    }

    public override void Remove(object value)
    {
        if (value is MySqlParameter p && _items.Remove(p))
        {
            p.Collection = null;
            _byName = null;
        }
    }

    public override void RemoveAt(int index)
    {
        _items[index].Collection = null;
        _items.RemoveAt(index);
        _byName = null;
    }

    public override void RemoveAt(string parameterName) => RemoveAt(IndexOfOrThrow(parameterName));

    protected override DbParameter GetParameter(int index) => _items[index];

    protected override DbParameter GetParameter(string parameterName) => _items[IndexOfOrThrow(parameterName)];

    protected override void SetParameter(int index, DbParameter value)
    {
        var parameter = Cast(value);
        _items[index].Collection = null;
        parameter.Collection = this;
        _items[index] = parameter;
        _byName = null;
    }

    protected override void SetParameter(string parameterName, DbParameter value) => SetParameter(IndexOfOrThrow(parameterName), value);

    internal MySqlParameter? Find(ReadOnlySpan<char> normalizedName)
    {
        if (_items.Count <= 8)
        {
            for (var i = 0; i < _items.Count; i++)
                if (normalizedName.Equals(_items[i].NormalizedName, StringComparison.OrdinalIgnoreCase)) return _items[i];
            return null;
        }
        _byName ??= BuildIndex();
        return _byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(normalizedName, out var index) ? _items[index] : null;
    }

    private void AddParameter(MySqlParameter parameter)
    {
        if (parameter.Collection is not null && parameter.Collection != this)
            throw new ArgumentException("The parameter already belongs to another collection.", nameof(parameter));
        parameter.Collection = this;
        _items.Add(parameter);
        _byName = null;
    }

    private int IndexOfOrThrow(string name)
    {
        var index = IndexOf(name);
        return index >= 0 ? index : throw new ArgumentException($"No parameter named \"{name}\" exists in the collection.", nameof(name));
    }

    private Dictionary<string, int> BuildIndex()
    {
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _items.Count; i++) map.TryAdd(_items[i].NormalizedName, i);
        return map;
    }

    private static MySqlParameter Cast(object value) =>
        value as MySqlParameter ?? throw new InvalidCastException($"Only MySqlParameter objects can be added, not {value?.GetType().Name ?? "null"}.");
}
#pragma warning restore CA1010
