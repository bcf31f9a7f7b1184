using TorchSharp;
using var t = torch.ones(3);
System.Console.WriteLine(t.sum().ToSingle());
