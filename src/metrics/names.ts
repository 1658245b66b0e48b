/** The one namespace helper: every metric name in the project is built here. */
export const NAMESPACE = 'whatsapp';
export const metric = (name: string): string => `${NAMESPACE}_${name}`;
export const exporterMetric = (name: string): string => `${NAMESPACE}_exporter_${name}`;
