// What the checker knows about the stock images the plans use: the programs on their PATH, whether their
// entrypoint serves by itself, whether they write under HOME, and which model server they are. Vendor images ship
// no user code, so a script path in one of them exists only if a volume puts it there.
export interface KnownImage {
  pattern: RegExp;
  label: string;
  /** Programs on the image's PATH (basenames). */
  programs: readonly string[];
  /** The entrypoint starts the workload with no command (args alone configure it). */
  serves: boolean;
  /** The program writes caches or config under HOME at start (fails on a read-only root filesystem). */
  writesHome: boolean;
  server?: "vllm" | "triton";
}

const shell = ["sh", "bash", "env", "cat", "ls", "mkdir", "cp", "tar", "sleep"];
const python = ["python", "python3", "pip", "pip3"];

export const knownImages: readonly KnownImage[] = [
  {
    pattern: /(^|\/)vllm\/vllm-openai[:@]/,
    label: "vLLM OpenAI server",
    programs: ["vllm", ...python, ...shell],
    serves: true,
    writesHome: true,
    server: "vllm",
  },
  {
    pattern: /nvcr\.io\/nvidia\/tritonserver[:@]/,
    label: "NVIDIA Triton Inference Server",
    programs: ["tritonserver", ...python, ...shell],
    serves: false,
    writesHome: true,
    server: "triton",
  },
  {
    pattern: /nvcr\.io\/nvidia\/(pytorch|nemo)[:@]|(^|\/)pytorch\/pytorch[:@]/,
    label: "PyTorch",
    programs: ["torchrun", ...python, ...shell],
    serves: false,
    writesHome: true,
  },
  { pattern: /(^|\/)python[:@]/, label: "Python", programs: [...python, ...shell], serves: false, writesHome: false },
  {
    // util-linux is essential in Ubuntu's base image: nsenter is always there.
    pattern: /(^|\/)library\/ubuntu[:@]|^ubuntu[:@]/,
    label: "Ubuntu",
    programs: ["nsenter", ...shell],
    serves: false,
    writesHome: false,
  },
  {
    pattern: /(^|\/)redis:[^@]*alpine/,
    label: "Redis (Alpine)",
    programs: ["redis-cli", "redis-server", "wget", "sh", "env", "cat", "sleep"],
    serves: true,
    writesHome: false,
  },
  {
    pattern: /(^|\/)edenhill\/kcat[:@]/,
    label: "kcat (Alpine)",
    programs: ["kcat", "wget", "sh", "env", "cat", "sleep"],
    serves: true,
    writesHome: false,
  },
];

export function knownImage(image: string): KnownImage | undefined {
  return knownImages.find((k) => k.pattern.test(image));
}

export const programName = (path: string) => path.split("/").pop() ?? path;
