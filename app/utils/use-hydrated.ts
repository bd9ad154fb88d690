import { useEffect, useState } from 'react'

let hydrated = false

/** False during server render and the first client render, true after hydration. */
export function useHydrated(): boolean {
  const [isHydrated, setIsHydrated] = useState(hydrated)
  useEffect(() => {
    hydrated = true
    setIsHydrated(true)
  }, [])
  return isHydrated
}
