import { Layout } from './layout';

export interface ErrorPageProps {
  siteName: string;
  title: string;
  detail: string;
}

/** The HTML face of an error: says what happened and offers a way on. Not indexed. */
export function ErrorPage({ siteName, title, detail }: ErrorPageProps) {
  return (
    <Layout siteName={siteName} title={`${title} · ${siteName}`}>
      <h1>{title}</h1>
      <p>{detail}</p>
      <p>
        <a href="/">Go to the latest articles</a>
      </p>
    </Layout>
  );
}
