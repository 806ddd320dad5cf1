export function PlaceholderPage({ title, issue, description }: { title: string; issue: string; description: string }) {
  return (
    <>
      <h1>{title}</h1>
      <p className="subtitle">{description}</p>
      <div className="card empty" role="status">
        This area is not built yet ({issue}). Nothing here is hidden behind this message: it does not exist yet.
      </div>
    </>
  );
}
