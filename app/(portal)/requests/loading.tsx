import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <h1>Requests</h1>
      <div className="card"><Skeleton lines={8} height={20} label="Loading requests" /></div>
    </>
  );
}
