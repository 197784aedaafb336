using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using Neuromorphic.Traces.Events.Streaming;

namespace Neuromorphic.Benchmarks;

/// <summary>
/// The streaming benchmark of issue 13 (run by scripts/bench/evt3-streaming.sh):
/// <c>evt3-generate PATH MIB</c> writes a synthetic EVT 3.0 recording of MIB mebibytes in constant
/// memory; <c>evt3-read PATH</c> decodes it on one thread into a counting sink and prints events,
/// seconds, events/s and the process's peak working set.
/// </summary>
/// <remarks>
/// The synthetic stream is deterministic (seeded) and mixes the word types a real IMX636 stream
/// has: a TIME_HIGH per 4096 µs, a TIME_LOW per microsecond, then rows each with an ADDR_Y, a
/// single ADDR_X event and a vector run (VECT_BASE_X, VECT_12, VECT_8 with random masks), and an
/// occasional EXT_TRIGGER; 1280 x 720 sensor.
/// </remarks>
public static class Evt3StreamingBenchmark
{
    public static void Run(string[] args)
    {
        switch (args)
        {
            case ["evt3-generate", var path, var mib]:
                Generate(path, long.Parse(mib, CultureInfo.InvariantCulture) << 20);
                break;
            case ["evt3-read", var path]:
                Read(path);
                break;
            default:
                Console.Error.WriteLine("usage: evt3-generate PATH MIB | evt3-read PATH");
                Environment.Exit(2);
                break;
        }
    }

    private static void Generate(string path, long bytes)
    {
        var random = new Random(13);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        file.Write(Encoding.ASCII.GetBytes("% camera_integrator_name Prophesee\n% evt 3.0\n% format EVT3;height=720;width=1280\n% geometry 1280x720\n% end\n"));
        var chunk = new byte[1 << 20];
        int used = 0;
        long written = file.Position;
        long time = 0;
        int lastHigh = -1;
        long events = 0;
        void Word(int type, int payload)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(used), (ushort)(type << 12 | payload & 0xFFF));
            used += 2;
        }

        while (written + used < bytes)
        {
            if (used > chunk.Length - 64)
            {
                file.Write(chunk, 0, used);
                written += used;
                used = 0;
            }

            int high = (int)(time >> 12) & 0xFFF;
            if (high != lastHigh)
            {
                Word(0x8, high);
                lastHigh = high;
            }

            Word(0x6, (int)time & 0xFFF);
            for (int row = 0; row < 2; row++)
            {
                Word(0x0, random.Next(720));
                Word(0x2, random.Next(2) << 11 | random.Next(1280));
                Word(0x3, random.Next(2) << 11 | random.Next(1260));
                int mask12 = random.Next(1, 1 << 12);
                int mask8 = random.Next(1, 1 << 8);
                Word(0x4, mask12);
                Word(0x5, mask8);
                events += 1 + int.PopCount(mask12) + int.PopCount(mask8);
            }

            if (random.Next(1000) == 0)
            {
                Word(0xA, 1);
            }

            time++;
        }

        file.Write(chunk, 0, used);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {path}: {file.Length >> 20} MiB, {events:N0} events, {time:N0} us"));
    }

    private static void Read(string path)
    {
        var counter = new Counter();
        var watch = Stopwatch.StartNew();
        ReadCounts counts = EventFile.Stream(path, counter);
        watch.Stop();
        double seconds = watch.Elapsed.TotalSeconds;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"read {path}: {counter.Events:N0} events ({counts["words"]:N0} words) in {seconds:0.000} s = {counter.Events / seconds / 1e6:0.0} M events/s, " +
            $"{new FileInfo(path).Length / seconds / (1 << 20):0} MiB/s, peak working set {peak >> 20} MiB, ON share {counter.On / (double)Math.Max(1, counter.Events):0.000}"));
    }

    /// <summary>Counts events and ON events, so the decoded values are used.</summary>
    private sealed class Counter : IEventSink
    {
        public long Events { get; private set; }

        public long On { get; private set; }

        public void Begin(RecordingInfo info)
        {
        }

        public void Write(ReadOnlySpan<DvsEvent> events)
        {
            long on = 0;
            foreach (DvsEvent e in events)
            {
                on += e.Polarity;
            }

            On += on;
            Events += events.Length;
        }
    }
}
