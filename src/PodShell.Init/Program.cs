namespace PodShell.Init;

internal static class Program
{
    private static int Main(string[] args)
    {
        System.Console.Out.WriteLine("podshell-init");
        return 0;
    }
}
