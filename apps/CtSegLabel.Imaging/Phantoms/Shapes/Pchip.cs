namespace CtSegLabel.Imaging.Phantoms.Shapes;

/// <summary>
/// Piecewise cubic Hermite interpolation that keeps monotone data monotone (Fritsch–Carlson
/// slopes). Body outlines are given as a few key sections along z; straight lines between them
/// would show corners in a coronal view, and an ordinary spline overshoots (a neck bulging wider
/// than the shoulders).
/// </summary>
public sealed class Pchip
{
    private readonly double[] _x, _y, _m;

    public Pchip(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n = x.Count;
        if (n < 2 || y.Count != n) throw new ArgumentException("need at least two knots and one value per knot");
        _x = [.. x];
        _y = [.. y];
        for (int k = 1; k < n; k++)
            if (!(_x[k] > _x[k - 1])) throw new ArgumentException("knots must increase strictly");
        var delta = new double[n - 1];
        for (int k = 0; k < n - 1; k++) delta[k] = (_y[k + 1] - _y[k]) / (_x[k + 1] - _x[k]);
        _m = new double[n];
        _m[0] = delta[0];
        _m[n - 1] = delta[n - 2];
        for (int k = 1; k < n - 1; k++)
        {
            if (delta[k - 1] * delta[k] <= 0) { _m[k] = 0; continue; }
            double h0 = _x[k] - _x[k - 1], h1 = _x[k + 1] - _x[k];
            double w1 = 2 * h1 + h0, w2 = h1 + 2 * h0;
            _m[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k]);
        }
    }

    /// <summary>The interpolated value; constant beyond the first and last knot.</summary>
    public double this[double x]
    {
        get
        {
            if (x <= _x[0]) return _y[0];
            if (x >= _x[^1]) return _y[^1];
            int k = Array.BinarySearch(_x, x);
            if (k >= 0) return _y[k];
            k = ~k - 1;
            double h = _x[k + 1] - _x[k];
            double t = (x - _x[k]) / h;
            double t2 = t * t, t3 = t2 * t;
            return (2 * t3 - 3 * t2 + 1) * _y[k] + (t3 - 2 * t2 + t) * h * _m[k]
                 + (-2 * t3 + 3 * t2) * _y[k + 1] + (t3 - t2) * h * _m[k + 1];
        }
    }
}
