/**
 * Which rows of a long table are on screen (or within `marginPx` of it): one
 * IntersectionObserver for the whole table, each row told when it comes and goes. A row
 * takes live values only while it is seen, so the station pushes (and the console draws)
 * the rows an operator can see rather than every row of the list. DOM-light: the observer
 * is injected, so the bookkeeping is tested without a browser.
 */

export interface RowObserver {
  observe(target: Element): void;
  unobserve(target: Element): void;
  disconnect(): void;
}

export type RowObserverFactory = (
  onChange: (changes: readonly { target: Element; isIntersecting: boolean }[]) => void,
  root: Element | null,
  marginPx: number,
) => RowObserver;

const intersectionObserver: RowObserverFactory = (onChange, root, marginPx) =>
  new IntersectionObserver(onChange, { root, rootMargin: `${marginPx}px 0px` });

export class RowVisibility {
  private readonly rows = new Map<Element, (onScreen: boolean) => void>();
  private readonly observer: RowObserver;

  constructor(root: Element | null, marginPx = 300, factory: RowObserverFactory = intersectionObserver) {
    this.observer = factory(
      (changes) => {
        for (const c of changes) this.rows.get(c.target)?.(c.isIntersecting);
      },
      root,
      marginPx,
    );
  }

  /** Tell `onChange` whenever `row` comes on or goes off screen; returns the disposer. */
  watch(row: Element, onChange: (onScreen: boolean) => void): () => void {
    this.rows.set(row, onChange);
    this.observer.observe(row);
    return () => {
      this.observer.unobserve(row);
      this.rows.delete(row);
    };
  }

  get watching(): number {
    return this.rows.size;
  }

  dispose(): void {
    this.observer.disconnect();
    this.rows.clear();
  }
}
