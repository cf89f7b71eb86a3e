/** Placeholder until the library pages are written. */
export function RecommendedResources(props: { elements: string[]; exclude?: number[]; audience?: string[]; onAttach?: (resourceId: number) => void; attaching?: number | null; attached?: number[] }) {
  void props;
  return null;
}
