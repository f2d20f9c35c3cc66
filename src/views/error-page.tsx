import { Layout } from './layout';

export interface ErrorPageProps {
  siteName: string;
  lang: string;
  title: string;
  detail: string;
}

/** The HTML face of an error: says what happened and offers a way on. Not indexed. */
export function ErrorPage({ siteName, lang, title, detail }: ErrorPageProps) {
  return (
    <Layout siteName={siteName} lang={lang} title={`${title} · ${siteName}`} description={detail}>
      <h1>{title}</h1>
      <p>{detail}</p>
      <p>
        <a href="/">Go to the latest articles</a>
      </p>
    </Layout>
  );
}
