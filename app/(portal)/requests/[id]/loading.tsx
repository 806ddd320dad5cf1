import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <Skeleton lines={1} height={28} label="Loading the request" />
      <div className="grid grid-4" style={{ margin: "16px 0" }}>{[0, 1, 2, 3].map((i) => <div key={i} className="card"><Skeleton lines={2} /></div>)}</div>
      <div className="card"><Skeleton lines={10} /></div>
    </>
  );
}
