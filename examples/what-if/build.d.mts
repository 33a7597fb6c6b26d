export function build(): Promise<{ dist: string; bytes: number | undefined }>;
