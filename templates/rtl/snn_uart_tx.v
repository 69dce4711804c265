// snn_uart_tx: an 8N1 UART transmitter, CLOCKS_PER_BIT clocks per bit. A byte is taken when
// `valid && ready`; `ready` is high from the end of the previous byte's stop bit. The line
// idles high.
`default_nettype none
module snn_uart_tx #(
    parameter CLOCKS_PER_BIT = 100
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       valid,
    input  wire [7:0] data,
    output wire       ready,
    output reg        tx
);
    localparam COUNT_W = $clog2(CLOCKS_PER_BIT);
    localparam [COUNT_W-1:0] FULL = CLOCKS_PER_BIT - 1;

    reg [8:0] shift;                  // the data bits, then the stop bit
    reg [3:0] left;                   // bits still to send after the current one ends
    reg [COUNT_W-1:0] count;
    assign ready = left == 4'd0;

    initial begin
        shift = 9'h1ff;
        left = 4'd0;
        count = {COUNT_W{1'b0}};
        tx = 1'b1;
    end

    always @(posedge clk) begin
        if (rst) begin
            left <= 4'd0;
            tx <= 1'b1;
        end else if (left == 4'd0) begin
            tx <= 1'b1;
            if (valid) begin
                shift <= {1'b1, data};
                tx <= 1'b0;           // the start bit
                left <= 4'd10;
                count <= FULL;
            end
        end else if (count != {COUNT_W{1'b0}}) begin
            count <= count - 1'b1;
        end else begin
            count <= FULL;
            left <= left - 1'b1;
            tx <= shift[0];           // a data bit, then the stop bit, then idle (ones)
            shift <= {1'b1, shift[8:1]};
        end
    end
endmodule
`default_nettype wire
