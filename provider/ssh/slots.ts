/**
 * A FIFO counting semaphore for the channels of one connection. Waiters give up at their deadline
 * so a queued call can never wait forever.
 */
export class ChannelSlots {
    private used = 0;
    private readonly waiters: Array<{ grant: () => void }> = [];

    constructor(private readonly limit: number) {}

    get inUse(): number {
        return this.used;
    }

    get capacity(): number {
        return this.limit;
    }

    /**
     * Waits for a free slot until `deadline` (a Date.now() value); resolves with the function that
     * gives it back (idempotent), or rejects with `onTimeout()`'s error.
     */
    acquire(deadline: number, onTimeout: () => Error): Promise<() => void> {
        return new Promise((resolve, reject) => {
            let released = false;
            const release = () => {
                if (released) return;
                released = true;
                this.used--;
                this.pump();
            };
            const waiter = {
                grant: () => {
                    clearTimeout(timer);
                    this.used++;
                    resolve(release);
                },
            };
            const timer = setTimeout(() => {
                const i = this.waiters.indexOf(waiter);
                if (i >= 0) this.waiters.splice(i, 1);
                reject(onTimeout());
            }, Math.max(0, deadline - Date.now()));
            this.waiters.push(waiter);
            this.pump();
        });
    }

    private pump(): void {
        while (this.used < this.limit && this.waiters.length > 0) this.waiters.shift()!.grant();
    }
}
