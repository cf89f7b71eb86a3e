import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

/**
 * A note handed over by the page before (in the navigation's state), shown once: it is taken off
 * the history entry, so a reload or coming Back later does not show it again.
 */
export function useHandedNote<T>(key: string): T | undefined {
  const location = useLocation();
  const navigate = useNavigate();
  const [note] = useState(() => (location.state as Record<string, T> | null)?.[key]);
  const handed = (location.state as Record<string, T> | null)?.[key] !== undefined;
  useEffect(() => {
    if (handed) void navigate({ pathname: location.pathname, search: location.search, hash: location.hash }, { replace: true, state: null });
  }, [handed, navigate, location.pathname, location.search, location.hash]);
  return note;
}
